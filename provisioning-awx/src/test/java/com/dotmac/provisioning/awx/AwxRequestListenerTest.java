package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every request attempt reaches the request listener with a low-cardinality endpoint and its outcome. */
class AwxRequestListenerTest extends FakeAwxTest {
    private final List<AwxRequestListener.Request> heard = new CopyOnWriteArrayList<>();

    private AwxAutomationRunner listenedRunner() {
        return runner(b -> b.requestListener(heard::add));
    }

    @Test
    void requestsAreHeardWithTheirOutcome() {
        long running = fake.addJob(FakeAwx.PROVISION_TEMPLATE, Map.of(), Instant.now(), RunScript.hang());
        long done = fake.addJob(FakeAwx.PROVISION_TEMPLATE, Map.of(), Instant.now(), RunScript.succeedAfter(0));
        fake.forceStatus(done, "successful");
        fake.failNext(1, Fault.status(502), "GET", "jobs/");
        AwxAutomationRunner runner = listenedRunner();

        runner.poll(List.of(String.valueOf(running)));
        runner.cancel(String.valueOf(done));

        assertThat(heard).extracting(AwxRequestListener.Request::endpoint, AwxRequestListener.Request::outcome)
                .contains(tuple("/api/", "success"), tuple("jobs/", AwxErrorCodes.UNAVAILABLE),
                        tuple("jobs/", "success"),
                        tuple("jobs/{id}/cancel/", "http_405"));
        assertThat(heard).allSatisfy(r -> {
            assertThat(r.endpoint()).doesNotContainPattern("[0-9]");
            assertThat(r.duration().isNegative()).isFalse();
        });
    }

    @Test
    void aFailingListenerDoesNotBreakTheRunner() {
        long id = fake.addJob(FakeAwx.PROVISION_TEMPLATE, Map.of(), Instant.now(), RunScript.hang());
        AwxAutomationRunner runner = runner(b -> b.requestListener(r -> {
            throw new IllegalStateException("listener bug");
        }));

        assertThat(runner.poll(List.of(String.valueOf(id)))).containsKey(String.valueOf(id));
    }
}
