package com.dotmac.provisioning.awx.fake;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A fake job template's launch settings, as {@code GET job_templates/{id}/launch/} shows them, and its survey
 * ({@code GET job_templates/{id}/survey_spec/}). Mutable; changed by tests before they launch.
 */
public final class TemplateSettings {
    final long id;
    volatile String name;
    volatile boolean askVariables = true;
    volatile boolean askInventory = true;
    volatile boolean askCredential = true;
    volatile boolean surveyEnabled;
    final List<SurveyQuestion> questions = new java.util.concurrent.CopyOnWriteArrayList<>();
    final List<String> passwordsNeeded = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile @Nullable Long inventory = 1L;
    volatile boolean credentialNeeded;
    volatile int jobSliceCount = 1;
    volatile @Nullable String launchRejection;

    TemplateSettings(long id) {
        this.id = id;
        this.name = "tenant-template-" + id;
    }

    /** @param v ask_variables_on_launch @return this */
    public TemplateSettings askVariablesOnLaunch(boolean v) {
        askVariables = v;
        return this;
    }

    /** @param v ask_inventory_on_launch @return this */
    public TemplateSettings askInventoryOnLaunch(boolean v) {
        askInventory = v;
        return this;
    }

    /** @param v ask_credential_on_launch @return this */
    public TemplateSettings askCredentialOnLaunch(boolean v) {
        askCredential = v;
        return this;
    }

    /**
     * A survey; required questions the launch does not answer fail it with {@code variables_needed_to_start}.
     *
     * @param required names of required survey variables
     * @return this
     */
    public TemplateSettings survey(String... required) {
        return surveyQuestions(List.of(required).stream().map(SurveyQuestion::text).toArray(SurveyQuestion[]::new));
    }

    /**
     * Turns the survey on with these questions (replacing earlier ones). With {@code ask_variables_on_launch} off
     * ({@link #askVariablesOnLaunch(boolean)}) a launch's extra vars pass only when a question lists them: AWX's
     * guard. Answers are validated as AWX does (a non-string for a text question is a 400), defaults fill
     * unanswered questions, password answers show as {@code $encrypted$} in the job's {@code extra_vars}.
     *
     * @param list the questions
     * @return this
     */
    public TemplateSettings surveyQuestions(SurveyQuestion... list) {
        surveyEnabled = true;
        questions.clear();
        questions.addAll(List.of(list));
        return this;
    }

    /** @param v survey_enabled (the questions are kept) @return this */
    public TemplateSettings surveyEnabled(boolean v) {
        surveyEnabled = v;
        return this;
    }

    /** @param names credential passwords asked at launch (e.g. ssh_password) @return this */
    public TemplateSettings passwordsNeededToStart(String... names) {
        passwordsNeeded.clear();
        passwordsNeeded.addAll(new ArrayList<>(List.of(names)));
        return this;
    }

    /** @param v the template's own inventory, or null for none @return this */
    public TemplateSettings inventory(@Nullable Long v) {
        inventory = v;
        return this;
    }

    /** @param v whether the template lacks a required credential @return this */
    public TemplateSettings credentialNeededToStart(boolean v) {
        credentialNeeded = v;
        return this;
    }

    /** @param v job_slice_count; above 1 a launch starts a workflow job @return this */
    public TemplateSettings jobSliceCount(int v) {
        jobSliceCount = v;
        return this;
    }

    /** @param jsonBody a 400 body every launch of this template is answered with, or null @return this */
    public TemplateSettings rejectLaunchesWith(@Nullable String jsonBody) {
        launchRejection = jsonBody;
        return this;
    }
}
