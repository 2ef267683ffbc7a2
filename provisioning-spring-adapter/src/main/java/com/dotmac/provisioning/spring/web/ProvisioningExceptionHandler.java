package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.ActiveJobConflictException;
import com.dotmac.provisioning.CallbackRefusedException;
import com.dotmac.provisioning.ConflictException;
import com.dotmac.provisioning.FieldError;
import com.dotmac.provisioning.InvalidCallbackTokenException;
import com.dotmac.provisioning.InvalidRequestException;
import com.dotmac.provisioning.JobFinishedException;
import com.dotmac.provisioning.JobNotFoundException;
import com.dotmac.provisioning.ProvisioningException;
import com.dotmac.provisioning.TenantNotFoundException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Maps the library's exceptions to {@code application/problem+json}: 400 with every bad field, 401, 403, 404, 409
 * (with the active job's id where there is one, or a refused callback's reason), 413. Unexpected failures answer 500 without details (they are
 * logged). Applies to {@link ProvisioningController} only.
 */
@RestControllerAdvice(assignableTypes = ProvisioningController.class)
public class ProvisioningExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningExceptionHandler.class);

    /** @return 400 naming each bad field */
    @ExceptionHandler(InvalidRequestException.class)
    public ResponseEntity<String> invalid(InvalidRequestException e, HttpServletRequest request) {
        return ProblemResponses.problem(HttpStatus.BAD_REQUEST, "the request is not valid", request.getRequestURI(),
                e.fieldErrors(), Map.of());
    }

    /** @return 413 */
    @ExceptionHandler(RequestBodies.BodyTooLargeException.class)
    public ResponseEntity<String> tooLarge(RequestBodies.BodyTooLargeException e, HttpServletRequest request) {
        return ProblemResponses.problem(HttpStatus.CONTENT_TOO_LARGE, e.getMessage(), request.getRequestURI(),
                List.of(new FieldError("body", Objects.requireNonNull(e.getMessage(), "it has a message"))), Map.of());
    }

    /** @return 413 when the job's artifacts would grow too large, otherwise 409 */
    @ExceptionHandler(CallbackRefusedException.class)
    public ResponseEntity<String> callbackRefused(CallbackRefusedException e, HttpServletRequest request) {
        HttpStatus status = e.reason() == CallbackRefusedException.Reason.TOO_LARGE ? HttpStatus.CONTENT_TOO_LARGE
                : HttpStatus.CONFLICT;
        return ProblemResponses.problem(status, e.getMessage(), request.getRequestURI(), List.of(),
                Map.of("reason", e.reason().wireName()));
    }

    /** @return 404 */
    @ExceptionHandler({TenantNotFoundException.class, JobNotFoundException.class})
    public ResponseEntity<String> notFound(ProvisioningException e, HttpServletRequest request) {
        return ProblemResponses.problem(HttpStatus.NOT_FOUND, e.getMessage(), request.getRequestURI(), List.of(),
                Map.of());
    }

    /** @return 409, with {@code active_job_id} or {@code job_status} when known */
    @ExceptionHandler(ConflictException.class)
    public ResponseEntity<String> conflict(ConflictException e, HttpServletRequest request) {
        Map<String, Object> extra = Map.of();
        if (e instanceof ActiveJobConflictException a) {
            extra = Map.of("active_job_id", a.activeJobId());
        } else if (e instanceof JobFinishedException f) {
            extra = Map.of("job_status", f.status().wireName());
        }
        return ProblemResponses.problem(HttpStatus.CONFLICT, e.getMessage(), request.getRequestURI(), List.of(),
                extra);
    }

    /** @return 401 for a bad callback token */
    @ExceptionHandler(InvalidCallbackTokenException.class)
    public ResponseEntity<String> badToken(InvalidCallbackTokenException e, HttpServletRequest request) {
        return ProblemResponses.problem(HttpStatus.UNAUTHORIZED, e.getMessage(), request.getRequestURI(), List.of(),
                Map.of());
    }

    /** @return 401 or 403 */
    @ExceptionHandler(ApiAccessException.class)
    public ResponseEntity<String> access(ApiAccessException e, HttpServletRequest request) {
        return ProblemResponses.problem(HttpStatus.valueOf(e.status()), e.getMessage(), request.getRequestURI(),
                List.of(), Map.of());
    }

    /** @return 415 */
    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<String> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        return ProblemResponses.problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "send application/json",
                request.getRequestURI(), List.of(), Map.of());
    }

    /** @return 405 */
    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<String> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return ProblemResponses.problem(HttpStatus.METHOD_NOT_ALLOWED, e.getMessage(), request.getRequestURI(),
                List.of(), Map.of());
    }

    /** @return 500 without details; the failure is logged */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<String> unexpected(Exception e, HttpServletRequest request) {
        log.error("provisioning API failed on {} {}", request.getMethod(), request.getRequestURI(), e);
        return ProblemResponses.problem(HttpStatus.INTERNAL_SERVER_ERROR, "an unexpected error occurred",
                request.getRequestURI(), List.of(), Map.of());
    }
}
