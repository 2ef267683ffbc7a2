package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.spi.AutomationException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.SocketFactory;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;

/**
 * The AWX runner's calls end soon after their thread is interrupted, even while AWX does not answer: the engine then
 * makes them on its own thread and gives them up by interrupting it (no second thread per call). A host's own
 * socket factory is kept, and then the runner does not claim it.
 */
class AwxInterruptTest extends FakeAwxTest {
    private static final Duration LONG_READ_TIMEOUT = Duration.ofMinutes(10);

    @Test
    void aCallThatAwxDoesNotAnswerEndsWhenItsThreadIsInterruptedLongBeforeTheReadTimeout() throws Exception {
        AwxAutomationRunner runner = runner(b -> b.readTimeout(LONG_READ_TIMEOUT));
        fake.failNext(1, Fault.readTimeout(), call -> true);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                runner.poll(List.of("42"));
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "awx-interrupt-test-caller");
        caller.setDaemon(true);
        caller.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> !fake.calls().isEmpty());

        caller.interrupt();
        caller.join(Duration.ofSeconds(30).toMillis());

        assertThat(caller.isAlive()).as("the call ended once interrupted, not at its %s read timeout",
                LONG_READ_TIMEOUT).isFalse();
        assertThat(thrown.get()).isInstanceOf(AutomationException.class);
        assertThat(((AutomationException) thrown.get()).isTransient()).isTrue();
        assertThat(fake.calls()).as("no retry after the interrupt").hasSize(1);
    }

    @Test
    void theRunnerSaysItsCallsEndWhenInterrupted() {
        assertThat(runner().callsEndWhenInterrupted()).isTrue();
        assertThat(runner(b -> b.httpClient(new OkHttpClient())).callsEndWhenInterrupted())
                .as("a host's client with the default socket factory").isTrue();
    }

    @Test
    void aHostsOwnSocketFactoryIsKeptAndThenTheRunnerDoesNotSayItsCallsEndWhenInterrupted() {
        SocketFactory own = new SocketFactory() {
            @Override
            public Socket createSocket() {
                return new Socket();
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return new Socket(host, port);
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
                    throws IOException {
                return new Socket(host, port, localHost, localPort);
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return new Socket(host, port);
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                    throws IOException {
                return new Socket(address, port, localAddress, localPort);
            }
        };
        AwxAutomationRunner runner = runner(b -> b.httpClient(new OkHttpClient.Builder().socketFactory(own).build()));

        assertThat(runner.callsEndWhenInterrupted()).isFalse();
        assertThat(runner.health().healthy()).as("the host's factory still connects").isTrue();
    }
}
