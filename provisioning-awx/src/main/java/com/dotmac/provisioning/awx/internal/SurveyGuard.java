package com.dotmac.provisioning.awx.internal;

import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.awx.AwxConfig;
import com.dotmac.provisioning.spi.AutomationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Checks the AWX-side guard of one job template: with {@code survey_enabled} on and {@code ask_variables_on_launch}
 * off, AWX passes a launch's extra vars only when the template's survey lists them (and drops the rest), so the
 * survey is the allow-list AWX itself enforces. Reads {@code GET job_templates/{id}/survey_spec/} and compares its
 * questions with what the platform sends ({@link SentVariables}). Never throws; names variables, never values.
 * Thread-safe.
 */
final class SurveyGuard {
    private static final Set<String> TEXT_TYPES = Set.of("text", "textarea", "password");
    private static final Set<String> STRING_VARIABLES = Set.of(PlaybookVariables.TENANT_ID,
            PlaybookVariables.TENANT_SLUG, PlaybookVariables.DEPLOYMENT_MODE, PlaybookVariables.OPERATION,
            PlaybookVariables.PROVISIONING_JOB_ID, PlaybookVariables.RELEASE_VERSION,
            PlaybookVariables.PLATFORM_CALLBACK_URL, PlaybookVariables.PLATFORM_CALLBACK_TOKEN,
            PlaybookVariables.TRACEPARENT);

    private final AwxHttp http;
    private final AwxConfig config;

    /**
     * @param http the transport
     * @param config the runner's configuration (its survey variables)
     */
    SurveyGuard(AwxHttp http, AwxConfig config) {
        this.http = http;
        this.config = config;
    }

    /**
     * @param launch a template's launch settings ({@code GET job_templates/{id}/launch/})
     * @return whether its survey guards its variables
     */
    static boolean guards(JsonNode launch) {
        return AwxJson.isTrue(launch, "survey_enabled") && !AwxJson.isTrue(launch, "ask_variables_on_launch");
    }

    /**
     * @param id the template
     * @param name how messages name it, e.g. {@code job template 14 (provision)}
     * @param use what it runs
     * @return the problems, or a note for the summary when the guard is sound
     */
    Result check(long id, String name, JobTemplates.TemplateUse use) {
        if (use.customerHosted()) {
            return Result.problem(name + ": its survey guards the variables (ask_variables_on_launch is off), but"
                    + " customer_hosted jobs send connection_profile, a JSON object that no survey question can"
                    + " carry, so AWX would drop it: enable 'Prompt on launch' for Variables (ask_variables_on_launch)"
                    + " on templates used for customer_hosted; the AWX-side guard works for dotmac_hosted templates"
                    + " only");
        }
        Map<String, Question> questions;
        try {
            questions = read(id);
        } catch (AutomationException e) {
            return Result.problem(name + ": its survey could not be read, so the variables it lets through are not"
                    + " checked: " + e.getMessage());
        } catch (RuntimeException e) {
            return Result.problem(name + ": its survey could not be read, so the variables it lets through are not"
                    + " checked: " + e.getClass().getSimpleName());
        }
        SentVariables sent = SentVariables.of(use, config.surveyVariables());
        List<String> problems = new ArrayList<>();
        Set<String> allowed = new LinkedHashSet<>(sent.expected());
        allowed.addAll(sent.optional());
        List<String> missing = sent.expected().stream().filter(v -> !questions.containsKey(v)).toList();
        if (!missing.isEmpty()) {
            problems.add(name + ": its survey has no questions for " + list(missing) + ", which the platform sends,"
                    + " so AWX would drop " + (missing.size() == 1 ? "it" : "them") + " from every launch: add survey"
                    + " questions for " + (missing.size() == 1 ? "it" : "them") + " (the survey should list exactly "
                    + list(allowed) + "), or enable 'Prompt on launch' for Variables (ask_variables_on_launch),"
                    + " which gives up the AWX-side guard");
        }
        List<String> extra = questions.keySet().stream().filter(v -> !sent.mayBeSent(v)).toList();
        if (!extra.isEmpty()) {
            problems.add(name + ": its survey asks for " + list(extra) + ", which the platform never sends to this"
                    + " template: remove " + (extra.size() == 1 ? "this question" : "these questions") + ", since the"
                    + " survey should list exactly " + list(allowed) + " (the runner learns the host's declared"
                    + " request variables from AwxConfig.Builder#surveyVariables)");
        }
        Question token = questions.get(PlaybookVariables.PLATFORM_CALLBACK_TOKEN);
        if (token != null && sent.expected().contains(token.variable()) && !token.type().equals("password")) {
            problems.add(name + ": survey question platform_callback_token is " + kind(token.type()) + ":"
                    + " make it a 'password' question, so that AWX stores the job's callback token encrypted and"
                    + " shows it as $encrypted$ in the job's variables");
        }
        questions.values().stream().filter(q -> sent.mayBeSent(q.variable()))
                .forEach(q -> checkType(q, use, name, problems));
        return problems.isEmpty() ? Result.note(name + ": variables guarded by its survey (" + questions.size()
                + " question" + (questions.size() == 1 ? "" : "s") + ")") : new Result(problems, null);
    }

    private Map<String, Question> read(long id) {
        String what = "read the survey of job template " + id;
        AwxResponse response = http.get(http.url("job_templates/" + id + "/survey_spec/").build(), what);
        JsonNode spec = http.expectJson(response, what).path("spec");
        Map<String, Question> questions = new LinkedHashMap<>();
        if (spec.isArray()) {
            for (JsonNode item : spec) {
                String variable = AwxJson.text(item, "variable");
                if (variable != null) {
                    questions.putIfAbsent(variable, new Question(AwxMessages.bounded(variable, 64),
                            Objects.toString(AwxJson.text(item, "type"), "unknown"), choices(item.get("choices"))));
                }
            }
        }
        return questions;
    }

    private static List<String> choices(@Nullable JsonNode node) {
        List<String> choices = new ArrayList<>();
        if (node != null && node.isArray()) {
            node.forEach(c -> choices.add(c.asString("")));
        } else if (node != null && node.isString()) {
            for (String line : node.stringValue().split("\r?\n")) {
                if (!line.isBlank()) {
                    choices.add(line);
                }
            }
        }
        return choices;
    }

    /** A question for a string the platform sends must accept it: text-like, or choices holding every value. */
    private static void checkType(Question q, JobTemplates.TemplateUse use, String name, List<String> problems) {
        if (!STRING_VARIABLES.contains(q.variable()) || TEXT_TYPES.contains(q.type())) {
            return;
        }
        Set<String> values = switch (q.variable()) {
            case PlaybookVariables.DEPLOYMENT_MODE -> SentVariables.modes(use);
            case PlaybookVariables.OPERATION -> SentVariables.operations(use);
            default -> null;
        };
        String question = name + ": survey question " + q.variable() + " is " + kind(q.type());
        if (!q.type().equals("multiplechoice")) {
            problems.add(question + ", which refuses the string the platform sends: make it a '"
                    + (values == null ? "text" : "multiplechoice") + "' question");
        } else if (values == null) {
            problems.add(question + ", which refuses every value outside its choices: make it a 'text' question");
        } else {
            List<String> lacking = values.stream().filter(v -> !q.choices().contains(v)).toList();
            if (!lacking.isEmpty()) {
                problems.add(question + " without the choice" + (lacking.size() == 1 ? " " : "s ") + list(lacking)
                        + ", which the platform sends to this template: add " + (lacking.size() == 1 ? "it" : "them")
                        + " to its choices");
            }
        }
    }

    /** @return e.g. {@code a 'text' question}, {@code an 'integer' question} */
    private static String kind(String type) {
        return ("aeiou".indexOf(type.isEmpty() ? 'x' : type.charAt(0)) >= 0 ? "an '" : "a '") + type + "' question";
    }

    private static String list(Collection<String> names) {
        return String.join(", ", names);
    }

    /**
     * One survey question, as far as the check needs it.
     *
     * @param variable the variable it sets
     * @param type {@code text}, {@code textarea}, {@code password}, {@code integer}, {@code float},
     *     {@code multiplechoice} or {@code multiselect}
     * @param choices the choices of a (multi)choice question
     */
    private record Question(String variable, String type, List<String> choices) {
    }

    /**
     * What the check found.
     *
     * @param problems the problems, in words an operator can act on
     * @param note for the summary when there are none, e.g. {@code job template 14 (provision): variables guarded
     *     by its survey (7 questions)}
     */
    record Result(List<String> problems, @Nullable String note) {
        static Result problem(String problem) {
            return new Result(List.of(problem), null);
        }

        static Result note(String note) {
            return new Result(List.of(), note);
        }
    }
}
