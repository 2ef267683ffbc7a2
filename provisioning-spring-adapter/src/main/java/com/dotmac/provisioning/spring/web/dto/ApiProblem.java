package com.dotmac.provisioning.spring.web.dto;

import com.dotmac.provisioning.FieldError;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * An error of the REST API: a {@link ProblemDetail} (RFC 9457, {@code application/problem+json}) with
 * {@code type}, {@code title}, {@code status}, {@code detail} and {@code instance}, the bad fields as
 * {@code errors: [{field, message}]} and any extension members (e.g. {@code active_job_id}). A distinct type so that
 * it is written with the API's own mapper. Not thread-safe (a mutable response value).
 */
@JsonPropertyOrder({"type", "title", "status", "detail", "instance"})
public class ApiProblem extends ProblemDetail implements ApiBody {
    private static final long serialVersionUID = 1L;

    /**
     * @param status the HTTP status
     * @param detail what went wrong; never a secret
     * @param instance the request's path
     * @param fieldErrors the bad fields; the {@code errors} member is left out when there are none
     * @param extensions further members, e.g. {@code active_job_id}
     */
    public ApiProblem(HttpStatus status, String detail, String instance, List<FieldError> fieldErrors,
            Map<String, Object> extensions) {
        super(status.value());
        setType(URI.create("about:blank"));
        setTitle(status.getReasonPhrase());
        setDetail(detail);
        try {
            setInstance(URI.create(instance));
        } catch (IllegalArgumentException e) {
            // a path that is no valid URI reference: the member is left out rather than failing the answer
        }
        if (!fieldErrors.isEmpty()) {
            setProperty("errors", fieldErrors.stream().map(Field::of).toList());
        }
        extensions.forEach(this::setProperty);
    }

    /**
     * One bad field.
     *
     * @param field its wire name, e.g. {@code extra_vars.region}
     * @param message why it was refused; never a secret
     */
    public record Field(String field, String message) {
        static Field of(FieldError e) {
            return new Field(e.field(), e.message());
        }
    }
}
