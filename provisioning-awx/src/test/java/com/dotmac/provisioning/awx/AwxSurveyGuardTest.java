package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.awx.fake.SurveyQuestion;
import com.dotmac.provisioning.spi.RunnerHealth;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The AWX-side guard in the preflight: a template whose survey lists the allowed variables and that does not prompt
 * for others ({@code survey_enabled} on, {@code ask_variables_on_launch} off) has its survey compared with what the
 * platform sends.
 */
class AwxSurveyGuardTest extends FakeAwxTest {
    private static final String SURVEY_SPEC = "job_templates/\\d+/survey_spec/";
    /** The host's survey variables: one declared request variable, and callbacks on. */
    static final List<String> SURVEY_VARIABLES = List.of("plan", "platform_callback_url", "platform_callback_token");

    /** @return the questions for the contract variables of a template used for these operations */
    static List<SurveyQuestion> contract(String... operations) {
        return List.of(SurveyQuestion.text("tenant_id"), SurveyQuestion.text("tenant_slug"),
                SurveyQuestion.multipleChoice("deployment_mode", "dotmac_hosted"),
                SurveyQuestion.multipleChoice("operation", operations),
                SurveyQuestion.text("provisioning_job_id").maxLength(64));
    }

    /** @return the questions a provision template guarded for {@link #SURVEY_VARIABLES} lists */
    static SurveyQuestion[] provisionSurvey() {
        List<SurveyQuestion> all = new ArrayList<>(contract("provision"));
        all.add(SurveyQuestion.text("plan").optional());
        all.add(SurveyQuestion.text("platform_callback_url"));
        all.add(SurveyQuestion.password("platform_callback_token"));
        return all.toArray(SurveyQuestion[]::new);
    }

    private static SurveyQuestion[] without(SurveyQuestion[] questions, String variable) {
        return Stream.of(questions).filter(q -> !q.variable().equals(variable)).toArray(SurveyQuestion[]::new);
    }

    private static SurveyQuestion[] with(SurveyQuestion[] questions, SurveyQuestion... more) {
        return Stream.concat(Stream.of(questions), Stream.of(more)).toArray(SurveyQuestion[]::new);
    }

    private void guard(long template, SurveyQuestion... questions) {
        fake.template(template).askVariablesOnLaunch(false).surveyQuestions(questions);
    }

    /** dotmac_hosted only (no organization), with the host's survey variables */
    private AwxAutomationRunner guardedRunner(Consumer<AwxConfig.Builder> more) {
        return runner(b -> more.accept(b.organizationId(null).surveyVariables(SURVEY_VARIABLES)));
    }

    @Test
    void aSurveyListingExactlyTheSentVariablesGuardsTheTemplate() {
        guard(FakeAwx.PROVISION_TEMPLATE, provisionSurvey());

        RunnerHealth health = guardedRunner(b -> { }).health();

        assertThat(health.problems()).isEmpty();
        assertThat(health.healthy()).isTrue();
        assertThat(health.summary()).contains("3 job templates checked, no problems")
                .endsWith("; job template 14 (provision): variables guarded by its survey (8 questions)");
        assertThat(fake.calls("GET", SURVEY_SPEC)).hasSize(1)
                .allSatisfy(c -> assertThat(c.path()).endsWith("/job_templates/14/survey_spec/"));
    }

    @Test
    void aGuardLackingAVariableThePlatformSendsNamesIt() {
        guard(FakeAwx.PROVISION_TEMPLATE, without(provisionSurvey(), "provisioning_job_id"));
        guard(FakeAwx.UPGRADE_TEMPLATE, with(contract("upgrade").toArray(SurveyQuestion[]::new),
                SurveyQuestion.text("plan").optional(), SurveyQuestion.text("platform_callback_url"),
                SurveyQuestion.password("platform_callback_token")));

        RunnerHealth health = guardedRunner(b -> { }).health();

        assertThat(health.healthy()).isFalse();
        assertThat(health.summary()).doesNotContain("guarded by its survey");
        assertThat(health.problems()).containsExactly(
                "job template 14 (provision): its survey has no questions for provisioning_job_id, which the"
                        + " platform sends, so AWX would drop it from every launch: add survey questions for it (the"
                        + " survey should list exactly tenant_id, tenant_slug, deployment_mode, operation,"
                        + " provisioning_job_id, plan, platform_callback_token, platform_callback_url,"
                        + " release_version), or enable 'Prompt on launch' for Variables (ask_variables_on_launch),"
                        + " which gives up the AWX-side guard",
                "job template 15 (upgrade): its survey has no questions for release_version, which the platform"
                        + " sends, so AWX would drop it from every launch: add survey questions for it (the survey"
                        + " should list exactly tenant_id, tenant_slug, deployment_mode, operation,"
                        + " provisioning_job_id, release_version, plan, platform_callback_token,"
                        + " platform_callback_url), or enable 'Prompt on launch' for Variables"
                        + " (ask_variables_on_launch), which gives up the AWX-side guard");
    }

    @Test
    void aQuestionForAVariableThePlatformNeverSendsIsReported() {
        guard(FakeAwx.PROVISION_TEMPLATE, with(provisionSurvey(), SurveyQuestion.text("approval_ticket").optional()));
        guard(FakeAwx.DECOMMISSION_TEMPLATE, with(contract("decommission").toArray(SurveyQuestion[]::new),
                SurveyQuestion.text("plan").optional(), SurveyQuestion.text("platform_callback_url"),
                SurveyQuestion.password("platform_callback_token"), SurveyQuestion.text("release_version")));

        List<String> problems = guardedRunner(b -> { }).preflight();

        assertThat(problems).containsExactly(
                "job template 14 (provision): its survey asks for approval_ticket, which the platform never sends"
                        + " to this template: remove this question, since the survey should list exactly tenant_id,"
                        + " tenant_slug, deployment_mode, operation, provisioning_job_id, plan,"
                        + " platform_callback_token, platform_callback_url, release_version (the runner learns the"
                        + " host's declared request variables from AwxConfig.Builder#surveyVariables)",
                "job template 16 (decommission): its survey asks for release_version, which the platform never"
                        + " sends to this template: remove this question, since the survey should list exactly"
                        + " tenant_id, tenant_slug, deployment_mode, operation, provisioning_job_id, plan,"
                        + " platform_callback_token, platform_callback_url (the runner learns the host's declared"
                        + " request variables from AwxConfig.Builder#surveyVariables)",
                "job template 16 (decommission): its survey requires answers the platform does not send"
                        + " (release_version); make these questions optional or give them defaults");
    }

    @Test
    void theCallbackTokenAsATextQuestionIsReported() {
        guard(FakeAwx.PROVISION_TEMPLATE, with(without(provisionSurvey(), "platform_callback_token"),
                SurveyQuestion.text("platform_callback_token")));

        assertThat(guardedRunner(b -> { }).preflight()).containsExactly(
                "job template 14 (provision): survey question platform_callback_token is a 'text' question: make"
                        + " it a 'password' question, so that AWX stores the job's callback token encrypted and shows"
                        + " it as $encrypted$ in the job's variables");
    }

    @Test
    void contractQuestionsThatWouldRefuseWhatThePlatformSendsAreReported() {
        SurveyQuestion[] survey = with(without(without(provisionSurvey(), "tenant_id"), "operation"),
                SurveyQuestion.integer("tenant_id"), SurveyQuestion.multipleChoice("operation", "upgrade"));
        guard(FakeAwx.PROVISION_TEMPLATE, survey);

        assertThat(guardedRunner(b -> { }).preflight()).containsExactly(
                "job template 14 (provision): survey question tenant_id is an 'integer' question, which refuses the"
                        + " string the platform sends: make it a 'text' question",
                "job template 14 (provision): survey question operation is a 'multiplechoice' question without"
                        + " the choice provision, which the platform sends to this template: add it to its choices");
    }

    @Test
    void aCustomerHostedTemplateGuardedByASurveyIsAProblem() {
        guard(21, provisionSurvey());

        List<String> problems = runner(b -> b.surveyVariables(SURVEY_VARIABLES)
                .jobTemplate(Operation.PROVISION, DeploymentMode.CUSTOMER_HOSTED, 21)).preflight();

        assertThat(problems).containsExactly("job template 21 (provision (customer_hosted)): its survey guards the"
                + " variables (ask_variables_on_launch is off), but customer_hosted jobs send connection_profile, a"
                + " JSON object that no survey question can carry, so AWX would drop it: enable 'Prompt on launch'"
                + " for Variables (ask_variables_on_launch) on templates used for customer_hosted; the AWX-side"
                + " guard works for dotmac_hosted templates only");
        assertThat(fake.calls("GET", SURVEY_SPEC)).isEmpty();
    }

    @Test
    void aSurveySpecThatCannotBeReadIsAProblemNeverAnException() {
        guard(FakeAwx.PROVISION_TEMPLATE, provisionSurvey());
        guard(FakeAwx.UPGRADE_TEMPLATE, provisionSurvey());
        fake.failNext(1, Fault.json(404, "{\"detail\": \"Not found.\"}"), "GET", "job_templates/14/survey_spec/");
        fake.failNext(10, Fault.status(500), "GET", "job_templates/15/survey_spec/");

        RunnerHealth health = guardedRunner(b -> b.maxRetries(1)).health();

        assertThat(health.healthy()).isFalse();
        assertThat(health.problems()).hasSize(2);
        assertThat(health.problems().get(0)).startsWith("job template 14 (provision): its survey could not be read,"
                + " so the variables it lets through are not checked: ").contains("404")
                .contains("GET /api/v2/job_templates/14/survey_spec/");
        assertThat(health.problems().get(1)).startsWith("job template 15 (upgrade): its survey could not be read,"
                + " so the variables it lets through are not checked: ").contains("500");
        assertThat(fake.calls("GET", "job_templates/15/survey_spec/")).hasSize(2);
    }

    @Test
    void aTemplateThatPromptsForVariablesIsNotGuardedAndItsSurveyIsNotRead() {
        fake.template(FakeAwx.PROVISION_TEMPLATE).surveyQuestions(provisionSurvey());

        RunnerHealth health = guardedRunner(b -> { }).health();

        assertThat(health.healthy()).isTrue();
        assertThat(health.summary()).doesNotContain("guarded");
        assertThat(fake.calls("GET", SURVEY_SPEC)).isEmpty();
    }

    @Test
    void surveyVariablesAreIdentifiersSortedImmutableAndShown() {
        AwxConfig.Builder builder = AwxConfig.builder().baseUrl("https://awx.example.com").token("tok-3b9d0c7e5a1f");
        assertThat(builder.build().surveyVariables()).isEmpty();

        AwxConfig config = builder.surveyVariables(List.of("region", "plan", "platform_callback_token", "plan"))
                .build();

        assertThat(config.surveyVariables()).containsExactly("plan", "platform_callback_token", "region");
        assertThat(config.toBuilder().build().surveyVariables()).isEqualTo(config.surveyVariables());
        assertThat(config.toString()).contains("surveyVariables=[plan, platform_callback_token, region]");
        assertThatThrownBy(() -> config.surveyVariables().add("x")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> builder.surveyVariables(List.of("two words")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("surveyVariables")
                .hasMessageContaining("identifiers");
        assertThatThrownBy(() -> builder.surveyVariables(List.of("tenant_id")).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not name tenant_id");
    }
}
