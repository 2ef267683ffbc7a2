package com.dotmac.provisioning.console.internal;

import com.dotmac.provisioning.ConflictException;
import com.dotmac.provisioning.InvalidRequestException;
import com.dotmac.provisioning.JobNotFoundException;
import com.dotmac.provisioning.ProvisioningException;
import com.dotmac.provisioning.TenantNotFoundException;
import com.dotmac.provisioning.rollout.IllegalRolloutTransitionException;
import com.dotmac.provisioning.rollout.RolloutNotFoundException;
import com.dotmac.provisioning.spring.web.ApiAccessException;
import com.dotmac.provisioning.spring.web.TooManyEventStreamsException;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * What every console page shares (its settings, the formatter) and the error page: 403 when the caller may not,
 * 404 for an unknown job or rollout, 409 when the action does not apply any more, 400 for a bad filter or event id,
 * 503 when this node has its most event streams open. The error page says what happened in the library's own words,
 * which never hold a secret. Thread-safe.
 */
@ControllerAdvice(assignableTypes = {OverviewController.class, JobsController.class, TenantController.class,
        RolloutsController.class, StreamsController.class})
class ConsoleAdvice {
    private static final Logger log = LoggerFactory.getLogger(ConsoleAdvice.class);
    private static final ConsoleFormat FORMAT = new ConsoleFormat();

    private final ConsoleSettings settings;

    /** @param settings the console's settings */
    ConsoleAdvice(ConsoleSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** @return the console's settings, as {@code console} */
    @ModelAttribute("console")
    public ConsoleSettings console() {
        return settings;
    }

    /** @return the formatter, as {@code fmt} */
    @ModelAttribute("fmt")
    public ConsoleFormat fmt() {
        return FORMAT;
    }

    /**
     * @param e the refusal
     * @param model the error page's model
     * @param response to set the status on
     * @return the error page, 401 or 403
     */
    @ExceptionHandler(ApiAccessException.class)
    public String refused(ApiAccessException e, Model model, HttpServletResponse response) {
        return error(e.status(), "Not allowed", e.getMessage(), model, response);
    }

    /**
     * @param e what was not found
     * @param model the error page's model
     * @param response to set the status on
     * @return the error page, 404
     */
    @ExceptionHandler({JobNotFoundException.class, RolloutNotFoundException.class, TenantNotFoundException.class})
    public String notFound(ProvisioningException e, Model model, HttpServletResponse response) {
        return error(404, "Not found", e.getMessage(), model, response);
    }

    /**
     * @param e why the action does not apply
     * @param model the error page's model
     * @param response to set the status on
     * @return the error page, 409 or 400
     */
    @ExceptionHandler({ConflictException.class, IllegalRolloutTransitionException.class,
        InvalidRequestException.class})
    public String refusedAction(ProvisioningException e, Model model, HttpServletResponse response) {
        return error(e instanceof InvalidRequestException ? 400 : 409, "Not done", e.getMessage(), model, response);
    }

    /**
     * @param e this node has its most event streams open (the page's script falls back to polling)
     * @param model the error page's model
     * @param response to set the status on
     * @return the error page, 503
     */
    @ExceptionHandler(TooManyEventStreamsException.class)
    public String tooManyStreams(TooManyEventStreamsException e, Model model, HttpServletResponse response) {
        return error(503, "Busy", e.getMessage(), model, response);
    }

    /**
     * @param e a bad filter value (e.g. an unknown status)
     * @param model the error page's model
     * @param response to set the status on
     * @return the error page, 400
     */
    @ExceptionHandler(IllegalArgumentException.class)
    public String badInput(IllegalArgumentException e, Model model, HttpServletResponse response) {
        return error(400, "Bad request", e.getMessage(), model, response);
    }

    private String error(int status, String title, @org.jspecify.annotations.Nullable String message, Model model,
            HttpServletResponse response) {
        log.debug("console: {} {}", status, message);
        response.setStatus(status);
        model.addAttribute("console", settings);
        model.addAttribute("fmt", FORMAT);
        model.addAttribute("errorTitle", title);
        model.addAttribute("errorMessage", message == null ? title : message);
        return "provisioning-console/error";
    }
}
