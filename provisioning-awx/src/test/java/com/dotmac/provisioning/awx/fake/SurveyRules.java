package com.dotmac.provisioning.awx.fake;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What AWX does with a launch's extra vars when the template has a survey, after {@code SurveyJobTemplateMixin}
 * ({@code _accept_or_ignore_variables}, {@code _survey_element_validation}, {@code _update_unified_job_kwargs},
 * {@code display_extra_vars}): every question is validated (a missing required answer, a non-string for a
 * text/textarea/password question, a text outside {@code min}/{@code max}, a non-integer for an integer question,
 * a value outside a multiple choice's choices: 400 {@code variables_needed_to_start}); answered questions pass; with
 * {@code ask_variables_on_launch} off every other variable is dropped (listed with its value under
 * {@code ignored_fields.extra_vars}); unanswered questions get their default; password answers are shown as
 * {@code $encrypted$}. Stateless; called under {@link FakeAwx}'s lock.
 */
final class SurveyRules {
    static final String ENCRYPTED = "$encrypted$";

    private SurveyRules() {
    }

    /**
     * What a launch's extra vars become.
     *
     * @param accepted the variables the job gets (before survey defaults)
     * @param dropped the variables AWX drops (its {@code ignored_fields.extra_vars})
     * @param errors the survey's refusals ({@code variables_needed_to_start}); a launch with any is a 400
     */
    record Outcome(Map<String, Object> accepted, Map<String, Object> dropped, List<String> errors) {
    }

    static Outcome accept(TemplateSettings t, Map<String, Object> sent) {
        Map<String, Object> remaining = new LinkedHashMap<>(sent);
        Map<String, Object> accepted = new LinkedHashMap<>();
        Map<String, Object> dropped = new LinkedHashMap<>();
        List<String> errors = new ArrayList<>();
        if (t.surveyEnabled) {
            for (SurveyQuestion q : t.questions) {
                List<String> refused = validate(q, sent);
                if (!refused.isEmpty()) {
                    errors.addAll(refused);
                    if (remaining.containsKey(q.variable())) {
                        dropped.put(q.variable(), remaining.remove(q.variable()));
                    }
                } else if (remaining.containsKey(q.variable())) {
                    accepted.put(q.variable(), remaining.remove(q.variable()));
                }
            }
        }
        if (t.askVariables) {
            accepted.putAll(remaining);
            remaining.clear();
        }
        dropped.putAll(remaining);
        return new Outcome(accepted, dropped, errors);
    }

    /** @return the job's extra vars: the survey's valid defaults, then the accepted variables */
    static Map<String, Object> jobVars(TemplateSettings t, Map<String, Object> accepted) {
        Map<String, Object> vars = new LinkedHashMap<>();
        if (t.surveyEnabled) {
            for (SurveyQuestion q : t.questions) {
                Object value = q.defaultValue();
                if (value != null && validate(q, Map.of(q.variable(), value)).isEmpty()) {
                    vars.put(q.variable(), value);
                }
            }
        }
        vars.putAll(accepted);
        return vars;
    }

    /** @return the job's extra vars as AWX shows them: password answers as {@code $encrypted$} */
    static Map<String, Object> shown(TemplateSettings t, Map<String, Object> vars) {
        Map<String, Object> shown = new LinkedHashMap<>(vars);
        if (t.surveyEnabled) {
            t.questions.stream().filter(q -> q.type().equals("password") && shown.containsKey(q.variable()))
                    .forEach(q -> shown.put(q.variable(), ENCRYPTED));
        }
        return shown;
    }

    /** @return the required questions' variables ({@code variables_needed_to_start} of the launch settings) */
    static List<String> required(TemplateSettings t) {
        return t.surveyEnabled ? t.questions.stream().filter(SurveyQuestion::required).map(SurveyQuestion::variable)
                .toList() : List.of();
    }

    /** @return {@code GET job_templates/{id}/survey_spec/}: {@code {}} without questions, else name, description, spec */
    static ObjectNode spec(TemplateSettings t) {
        ObjectNode body = AwxBodies.MAPPER.createObjectNode();
        if (t.questions.isEmpty()) {
            return body;
        }
        body.put("name", "").put("description", "");
        ArrayNode spec = body.putArray("spec");
        for (SurveyQuestion q : t.questions) {
            ObjectNode item = spec.addObject();
            item.put("question_name", q.variable()).put("question_description", "").put("required", q.required())
                    .put("type", q.type()).put("variable", q.variable()).put("new_question", true);
            item.set("min", AwxBodies.MAPPER.valueToTree(q.min()));
            item.set("max", AwxBodies.MAPPER.valueToTree(q.max()));
            item.put("choices", String.join("\n", q.choices()));
            if (q.defaultValue() != null) {
                boolean hidden = q.type().equals("password") && !"".equals(q.defaultValue());
                item.set("default", AwxBodies.MAPPER.valueToTree(hidden ? ENCRYPTED : q.defaultValue()));
            }
        }
        return body;
    }

    /** AWX's {@code _survey_element_validation}, messages included (they quote the value, as AWX's do). */
    static List<String> validate(SurveyQuestion q, Map<String, Object> data) {
        String v = q.variable();
        if (!data.containsKey(v)) {
            return q.required() ? List.of("'" + v + "' value missing") : List.of();
        }
        Object value = data.get(v);
        List<String> errors = new ArrayList<>();
        switch (q.type()) {
            case "text", "textarea", "password" -> {
                if (!(value instanceof String s)) {
                    return List.of("Value " + str(value) + " for '" + v + "' expected to be a string.");
                }
                if (q.min() != null && s.length() < q.min()) {
                    errors.add("'" + v + "' value " + s + " is too small (length is " + s.length()
                            + " must be at least " + q.min() + ").");
                }
                if (q.max() != null && s.length() > q.max()) {
                    errors.add("'" + v + "' value " + s + " is too large (must be no more than " + q.max() + ").");
                }
            }
            case "integer" -> {
                if (!(value instanceof Integer || value instanceof Long)) {
                    return List.of("Value " + str(value) + " for '" + v + "' expected to be an integer.");
                }
            }
            case "multiplechoice" -> {
                if (!q.choices().contains(value)) {
                    errors.add("Value " + str(value) + " for '" + v + "' expected to be one of "
                            + str(q.choices()) + ".");
                }
            }
            default -> {
            }
        }
        return errors;
    }

    /** Python's {@code str()} of a JSON value, as AWX's messages print it. */
    static String str(Object value) {
        return value instanceof String s ? s : repr(value);
    }

    private static String repr(Object value) {
        if (value == null) {
            return "None";
        }
        if (value instanceof String s) {
            return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (value instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (value instanceof Map<?, ?> map) {
            return map.entrySet().stream().map(e -> repr(e.getKey()) + ": " + repr(e.getValue()))
                    .collect(Collectors.joining(", ", "{", "}"));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SurveyRules::repr).collect(Collectors.joining(", ", "[", "]"));
        }
        return String.valueOf(value);
    }
}
