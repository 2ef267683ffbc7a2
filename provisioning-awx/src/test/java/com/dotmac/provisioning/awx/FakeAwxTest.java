package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.spi.AutomationException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A started {@link FakeAwx} per test, and runners configured for it with a recording sleeper. */
abstract class FakeAwxTest {
    /** The read timeout of the runners made here: short, because some tests make AWX stall. */
    static final Duration READ_TIMEOUT = Duration.ofMillis(400);

    protected FakeAwx fake;
    protected final RecordingSleeper sleeper = new RecordingSleeper();
    private final List<AwxAutomationRunner> runners = new ArrayList<>();

    @BeforeEach
    void startFakeAwx() throws IOException {
        fake = new FakeAwx();
        fake.start();
    }

    @AfterEach
    void stopFakeAwx() {
        runners.forEach(AwxAutomationRunner::close);
        fake.close();
    }

    /** @return a runner with the fake's default configuration */
    protected AwxAutomationRunner runner() {
        return runner(b -> { });
    }

    /** @param customise changes to the fake's default configuration @return the runner */
    protected AwxAutomationRunner runner(Consumer<AwxConfig.Builder> customise) {
        AwxConfig.Builder builder = fake.configBuilder().readTimeout(READ_TIMEOUT);
        customise.accept(builder);
        AwxAutomationRunner runner = new AwxAutomationRunner(builder.build(), sleeper, Clock.systemUTC());
        runners.add(runner);
        return runner;
    }

    /** @param call what must throw @return the AutomationException it threw */
    protected static AutomationException failure(ThrowingCallable call) {
        AutomationException e = catchThrowableOfType(AutomationException.class, call);
        if (e == null) {
            throw new AssertionError("expected an AutomationException");
        }
        return e;
    }
}
