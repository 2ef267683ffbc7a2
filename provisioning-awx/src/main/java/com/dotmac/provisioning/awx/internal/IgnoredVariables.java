package com.dotmac.provisioning.awx.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Explains the extra vars a launch's answer lists under {@code ignored_fields.extra_vars}. AWX puts the dropped
 * variables there as a dict with their values, which can hold the callback token: only the names are ever used.
 * Stateless, thread-safe.
 */
final class IgnoredVariables {
    private static final int MAX_NAMES_LENGTH = 200;

    private IgnoredVariables() {
    }

    /**
     * When AWX let some of the sent variables through and dropped others, the template's survey guards them
     * ({@code survey_enabled} on, {@code ask_variables_on_launch} off) and lacks questions for the dropped ones;
     * when it dropped them all, the template does not prompt for variables.
     *
     * @param ignored the {@code ignored_fields.extra_vars} node
     * @param sent the names of the variables the launch sent
     * @param templateId the template
     * @return the problem, naming the dropped variables (never their values) and the template setting
     */
    static String explain(JsonNode ignored, Set<String> sent, long templateId) {
        List<String> names = new ArrayList<>();
        names.addAll(ignored.propertyNames());
        String named = "extra_vars" + (names.isEmpty() ? "" : " (" + AwxMessages.bounded(String.join(", ", names),
                MAX_NAMES_LENGTH) + ")");
        boolean someGotThrough = !names.isEmpty() && sent.stream().anyMatch(v -> !names.contains(v));
        if (someGotThrough) {
            return named + ": job template " + templateId + " lets through only the variables its survey lists"
                    + " (survey on, ask_variables_on_launch off) and its survey has no question for "
                    + (names.size() == 1 ? "this one" : "these") + ": add survey questions for "
                    + (names.size() == 1 ? "it" : "them") + ", or enable 'Prompt on launch' for Variables"
                    + " (ask_variables_on_launch) on job template " + templateId;
        }
        return named + ": enable 'Prompt on launch' for Variables (ask_variables_on_launch) on job template "
                + templateId + ", otherwise AWX drops the tenant's variables";
    }
}
