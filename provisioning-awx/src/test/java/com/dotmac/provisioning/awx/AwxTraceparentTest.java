package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.LaunchRecord;
import com.dotmac.provisioning.awx.fake.RecordedCall;
import com.dotmac.provisioning.awx.fake.SurveyQuestion;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A traced job's launch carries the request's W3C traceparent to AWX: as the extra var {@code traceparent} and as
 * the {@code traceparent} header of the launch request. A survey that guards the variables without a question for
 * it drops the extra var, which does not fail the launch (the header still carries it); one with an optional
 * question for it passes it on (a required one is reported: an untraced job sends none).
 */
class AwxTraceparentTest extends FakeAwxTest {
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    /** A spec as the engine builds it for a traced job: the job keeps the traceparent, the extra vars carry it. */
    private static LaunchSpec traced(String slug) {
        LaunchSpec plain = Specs.dotmacHosted(slug);
        LaunchSpec withVar = Specs.withVar(plain, PlaybookVariables.TRACEPARENT, TRACEPARENT);
        return new LaunchSpec(plain.job().toBuilder().traceparent(TRACEPARENT).build(), withVar.extraVars(),
                plain.launchPendingSince());
    }

    private RecordedCall launchCall() {
        return fake.calls("POST", "job_templates/\\d+/launch/").get(0);
    }

    @Test
    void theLaunchRequestCarriesTheTraceparentAsExtraVarAndHeader() {
        LaunchedRun run = runner().launch(traced("acme"));

        LaunchRecord launch = fake.launches().get(0);
        assertThat(launch.extraVars()).containsEntry(PlaybookVariables.TRACEPARENT, TRACEPARENT);
        assertThat(launchCall().headers().get("traceparent")).isEqualTo(TRACEPARENT);
        assertThat(fake.job(Long.parseLong(run.runId())).orElseThrow().extraVars())
                .containsEntry(PlaybookVariables.TRACEPARENT, TRACEPARENT);
    }

    @Test
    void anUntracedLaunchHasNeitherHeaderNorExtraVar() {
        runner().launch(Specs.dotmacHosted("acme"));

        assertThat(fake.launches().get(0).extraVars()).doesNotContainKey(PlaybookVariables.TRACEPARENT);
        assertThat(launchCall().headers().get("traceparent")).isNull();
    }

    @Test
    void aGuardingSurveyWithoutATraceparentQuestionDropsItWithoutFailingTheLaunch() {
        fake.template(FakeAwx.PROVISION_TEMPLATE).askVariablesOnLaunch(false).surveyQuestions(
                Stream.concat(AwxSurveyGuardTest.contract("provision").stream(),
                        Stream.of(SurveyQuestion.text("region"))).toArray(SurveyQuestion[]::new));

        LaunchedRun run = runner(b -> b.organizationId(null)).launch(traced("acme"));

        assertThat(fake.job(Long.parseLong(run.runId())).orElseThrow().extraVars())
                .doesNotContainKey(PlaybookVariables.TRACEPARENT)
                .containsKey(PlaybookVariables.PROVISIONING_JOB_ID);
        assertThat(launchCall().headers().get("traceparent")).isEqualTo(TRACEPARENT);
    }

    @Test
    void aGuardingSurveyMayListTraceparentAndThenPassesItOn() {
        fake.template(FakeAwx.PROVISION_TEMPLATE).askVariablesOnLaunch(false).surveyQuestions(
                Stream.concat(AwxSurveyGuardTest.contract("provision").stream(),
                        Stream.of(SurveyQuestion.text("region").optional(),
                                SurveyQuestion.text(PlaybookVariables.TRACEPARENT).optional()))
                        .toArray(SurveyQuestion[]::new));
        AwxAutomationRunner runner = runner(b -> b.organizationId(null).surveyVariables(List.of("region")));

        assertThat(runner.health().problems()).noneMatch(p -> p.contains("job template 14"));
        LaunchedRun run = runner.launch(traced("acme"));

        assertThat(fake.job(Long.parseLong(run.runId())).orElseThrow().extraVars())
                .containsEntry(PlaybookVariables.TRACEPARENT, TRACEPARENT);
    }
}
