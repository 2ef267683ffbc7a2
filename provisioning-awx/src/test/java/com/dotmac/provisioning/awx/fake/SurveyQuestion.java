package com.dotmac.provisioning.awx.fake;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One question of a fake job template's survey, as an element of AWX's {@code survey_spec} ({@code variable},
 * {@code type}, {@code required}, {@code default}, {@code choices}, {@code min}, {@code max}). Made with
 * {@link #text}, {@link #textarea}, {@link #password}, {@link #integer} or {@link #multipleChoice}: required, no
 * default and, for text types, AWX's UI defaults {@code min} 0 and {@code max} 1024. Immutable.
 *
 * @param variable the extra var it sets
 * @param type {@code text}, {@code textarea}, {@code password}, {@code integer} or {@code multiplechoice}
 * @param required whether a launch must answer it
 * @param defaultValue its default (AWX adds it to a job that does not answer it), or null for none
 * @param choices the choices of a {@code multiplechoice} question
 * @param min the shortest text or smallest integer, or null
 * @param max the longest text or largest integer, or null
 */
public record SurveyQuestion(String variable, String type, boolean required, @Nullable Object defaultValue,
        List<String> choices, @Nullable Integer min, @Nullable Integer max) {
    /** Checks and copies. */
    public SurveyQuestion {
        Objects.requireNonNull(variable, "variable");
        Objects.requireNonNull(type, "type");
        choices = List.copyOf(choices);
    }

    /** @param variable the variable @return a required {@code text} question */
    public static SurveyQuestion text(String variable) {
        return new SurveyQuestion(variable, "text", true, null, List.of(), 0, 1024);
    }

    /** @param variable the variable @return a required {@code textarea} question */
    public static SurveyQuestion textarea(String variable) {
        return new SurveyQuestion(variable, "textarea", true, null, List.of(), 0, 4096);
    }

    /** @param variable the variable @return a required {@code password} question (its answers are encrypted) */
    public static SurveyQuestion password(String variable) {
        return new SurveyQuestion(variable, "password", true, null, List.of(), 0, 1024);
    }

    /** @param variable the variable @return a required {@code integer} question */
    public static SurveyQuestion integer(String variable) {
        return new SurveyQuestion(variable, "integer", true, null, List.of(), null, null);
    }

    /**
     * @param variable the variable
     * @param choices the values it accepts
     * @return a required {@code multiplechoice} question
     */
    public static SurveyQuestion multipleChoice(String variable, String... choices) {
        return new SurveyQuestion(variable, "multiplechoice", true, null, List.of(choices), null, null);
    }

    /** @return this question, not required */
    public SurveyQuestion optional() {
        return new SurveyQuestion(variable, type, false, defaultValue, choices, min, max);
    }

    /** @param value the default AWX fills in when a launch does not answer @return this question with it */
    public SurveyQuestion withDefault(@Nullable Object value) {
        return new SurveyQuestion(variable, type, required, value, choices, min, max);
    }

    /** @param value the longest text accepted @return this question with that {@code max} */
    public SurveyQuestion maxLength(int value) {
        return new SurveyQuestion(variable, type, required, defaultValue, choices, min, value);
    }

    /** @param value the question's type, e.g. {@code text} for a token @return this question with that type */
    public SurveyQuestion ofType(String value) {
        return new SurveyQuestion(variable, value, required, defaultValue, choices, min, max);
    }
}
