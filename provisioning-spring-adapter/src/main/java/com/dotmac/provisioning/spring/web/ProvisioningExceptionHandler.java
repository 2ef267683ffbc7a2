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
import com.dotmac.provisioning.ProvisioningUnavailableException;
import com.dotmac.provisioning.TenantNotFoundException;
import com.dotmac.provisioning.rollout.IllegalRolloutTransitionException;
import com.dotmac.provisioning.rollout.RolloutNotFoundException;
import com.dotmac.provisioning.spi.RepositoryUnavailableException;
import com.dotmac.provisioning.spring.web.dto.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;

/**
 * Maps the API's failures to {@link ApiProblem}s ({@code application/problem+json}, RFC 9457): 400 with every bad
 * field (including bodies that are not JSON, not a JSON object, of another content type, with unknown fields,
 * duplicate keys, wrong types or trailing content), 401, 403, 404, 409 (with the active job's id where there is one,
 * the finished job's status, or a refused callback's reason), 413, and 503 with {@code Retry-After} while the
 * provisioning database cannot be reached. Unexpected failures answer 500 without details (they are logged).
 * Rollouts add 404 for an unknown rollout, 409 for a move its status does not allow (with {@code rollout_status})
 * and 501 when rollouts are not configured. Event streams add 503 with {@code Retry-After} when the node has its most
 * streams open. Applies to {@link ProvisioningController}, {@link RolloutController},
 * {@link WebhookDeadLetterController} and {@link EventStreamController} only. Thread-safe (stateless).
 */
@RestControllerAdvice(assignableTypes = {ProvisioningController.class, RolloutController.class,
        WebhookDeadLetterController.class, EventStreamController.class})
public class ProvisioningExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ProvisioningExceptionHandler.class);
    private static final String NOT_VALID = "the request is not valid";

    /**
     * @param e the bad fields
     * @param request the call
     * @return 400 naming each bad field
     */
    @ExceptionHandler(InvalidRequestException.class)
    public ResponseEntity<ApiProblem> invalid(InvalidRequestException e, HttpServletRequest request) {
        return problem(HttpStatus.BAD_REQUEST, NOT_VALID, request, e.fieldErrors(), Map.of());
    }

    /**
     * @param e a body Spring MVC could not read: missing, not JSON, or not of the expected shape
     * @param request the call
     * @return 400 naming the field (or {@code body}); never echoes a value
     */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<ApiProblem> unreadable(HttpMessageNotReadableException e, HttpServletRequest request) {
        return problem(HttpStatus.BAD_REQUEST, NOT_VALID, request, List.of(JsonInputErrors.of(e)), Map.of());
    }

    /**
     * @param e a body that is not JSON by its content type
     * @param request the call
     * @return 400 naming {@code body}
     */
    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    public ResponseEntity<ApiProblem> mediaType(HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
        MediaType type = e.getContentType();
        String sent = type == null ? "" : ", not " + type.getType() + "/" + type.getSubtype();
        return problem(HttpStatus.BAD_REQUEST, NOT_VALID, request,
                List.of(new FieldError("body", "must be JSON (Content-Type: application/json)" + sent)), Map.of());
    }

    /**
     * @param e the body is too large
     * @param request the call
     * @return 413 naming {@code body}
     */
    @ExceptionHandler(BodyTooLargeException.class)
    public ResponseEntity<ApiProblem> tooLarge(BodyTooLargeException e, HttpServletRequest request) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, e.getMessage(), request,
                List.of(new FieldError("body", String.valueOf(e.getMessage()))), Map.of());
    }

    /**
     * @param e a refused callback
     * @param request the call
     * @return 413 when the job's artifacts would grow too large, otherwise 409; with the {@code reason}
     */
    @ExceptionHandler(CallbackRefusedException.class)
    public ResponseEntity<ApiProblem> callbackRefused(CallbackRefusedException e, HttpServletRequest request) {
        HttpStatus status = e.reason() == CallbackRefusedException.Reason.TOO_LARGE ? HttpStatus.CONTENT_TOO_LARGE
                : HttpStatus.CONFLICT;
        return problem(status, e.getMessage(), request, List.of(), Map.of("reason", e.reason().wireName()));
    }

    /**
     * @param e an unknown tenant, job, rollout or webhook dead letter
     * @param request the call
     * @return 404
     */
    @ExceptionHandler({TenantNotFoundException.class, JobNotFoundException.class, RolloutNotFoundException.class,
            DeadLetterNotFoundException.class})
    public ResponseEntity<ApiProblem> notFound(ProvisioningException e, HttpServletRequest request) {
        return problem(HttpStatus.NOT_FOUND, e.getMessage(), request, List.of(), Map.of());
    }

    /**
     * @param e a conflict with the job's or tenant's state
     * @param request the call
     * @return 409, with {@code active_job_id}, {@code job_status} or {@code rollout_status} when known
     */
    @ExceptionHandler(ConflictException.class)
    public ResponseEntity<ApiProblem> conflict(ConflictException e, HttpServletRequest request) {
        Map<String, Object> extra = Map.of();
        if (e instanceof ActiveJobConflictException a) {
            extra = Map.of("active_job_id", a.activeJobId());
        } else if (e instanceof JobFinishedException f) {
            extra = Map.of("job_status", f.status().wireName());
        } else if (e instanceof IllegalRolloutTransitionException t) {
            extra = Map.of("rollout_status", t.from().wireName());
        }
        return problem(HttpStatus.CONFLICT, e.getMessage(), request, List.of(), extra);
    }

    /**
     * @param e rollouts are not configured
     * @param request the call
     * @return 501
     */
    @ExceptionHandler(RolloutsUnavailableException.class)
    public ResponseEntity<ApiProblem> rolloutsUnavailable(RolloutsUnavailableException e,
            HttpServletRequest request) {
        return problem(HttpStatus.NOT_IMPLEMENTED, e.getMessage(), request, List.of(), Map.of());
    }

    /**
     * @param e this node has its most event streams open
     * @param request the call
     * @return 503 with {@code Retry-After: 5}
     */
    @ExceptionHandler(TooManyEventStreamsException.class)
    public ResponseEntity<ApiProblem> tooManyStreams(TooManyEventStreamsException e, HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .body(new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, String.valueOf(e.getMessage()),
                        request.getRequestURI(), List.of(), Map.of()));
    }

    /**
     * An event stream's client went away while it was written to: nothing to answer, nothing to log.
     *
     * @param e the failed write
     */
    @ExceptionHandler(AsyncRequestNotUsableException.class)
    public void clientGone(AsyncRequestNotUsableException e) {
        log.debug("provisioning API: the client went away", e);
    }

    /**
     * @param e a bad callback token
     * @param request the call
     * @return 401 with {@code WWW-Authenticate: Bearer}
     */
    @ExceptionHandler(InvalidCallbackTokenException.class)
    public ResponseEntity<ApiProblem> badToken(InvalidCallbackTokenException e, HttpServletRequest request) {
        return problem(HttpStatus.UNAUTHORIZED, e.getMessage(), request, List.of(), Map.of());
    }

    /**
     * @param e the caller may not do this
     * @param request the call
     * @return 401 or 403
     */
    @ExceptionHandler(ApiAccessException.class)
    public ResponseEntity<ApiProblem> access(ApiAccessException e, HttpServletRequest request) {
        return problem(HttpStatus.valueOf(e.status()), e.getMessage(), request, List.of(), Map.of());
    }

    /**
     * @param e the provisioning database cannot be reached; nothing was stored
     * @param request the call
     * @return 503 with a {@code Retry-After} header (whole seconds, at least 1); the detail names the database,
     *     never a URL or a secret
     */
    @ExceptionHandler(ProvisioningUnavailableException.class)
    public ResponseEntity<ApiProblem> unavailable(ProvisioningUnavailableException e, HttpServletRequest request) {
        long seconds = Math.max(1, (e.retryAfter().toMillis() + 999) / 1000);
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(seconds))
                .body(new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "the provisioning database is unreachable; "
                        + "nothing was stored, try again in " + seconds + " s", request.getRequestURI(), List.of(),
                        Map.of()));
    }

    /**
     * @param e the provisioning database could not be reached by a call that the engine does not guard itself (e.g. a
     *     rollout's); nothing was stored half-way
     * @param request the call
     * @return 503 with {@code Retry-After: 5}, as {@link #unavailable(ProvisioningUnavailableException,
     *     HttpServletRequest)}
     */
    @ExceptionHandler(RepositoryUnavailableException.class)
    public ResponseEntity<ApiProblem> repositoryUnavailable(RepositoryUnavailableException e,
            HttpServletRequest request) {
        return unavailable(new ProvisioningUnavailableException("the provisioning database cannot be reached",
                Duration.ofSeconds(5), e), request);
    }

    /**
     * @param e a method the endpoint does not have
     * @param request the call
     * @return 405
     */
    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    public ResponseEntity<ApiProblem> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
        return problem(HttpStatus.METHOD_NOT_ALLOWED, e.getMessage(), request, List.of(), Map.of());
    }

    /**
     * @param e anything else
     * @param request the call
     * @return 500 without details; the failure is logged
     */
    @ExceptionHandler(Exception.class)
    public ResponseEntity<ApiProblem> unexpected(Exception e, HttpServletRequest request) {
        log.error("provisioning API failed on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "an unexpected error occurred", request, List.of(),
                Map.of());
    }

    private static ResponseEntity<ApiProblem> problem(HttpStatus status, @Nullable String message,
            HttpServletRequest request, List<FieldError> fieldErrors, Map<String, Object> extensions) {
        String detail = message != null ? message : status.getReasonPhrase();
        ResponseEntity.BodyBuilder builder = ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON);
        if (status == HttpStatus.UNAUTHORIZED) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        }
        return builder.body(new ApiProblem(status, detail, request.getRequestURI(), fieldErrors, extensions));
    }
}
