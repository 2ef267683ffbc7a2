package com.dotmac.provisioning.reliability.support;

import com.dotmac.provisioning.awx.AwxConfig;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.RunScript;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ServerSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;

/**
 * A server in front of a {@link FakeAwx} that answers what the fake answers, late: every answer by a random latency,
 * and a fraction of launches by a longer delay <em>after</em> the fake created the job (an AWX that started the run
 * but is slow to say so: the window in which a crash or a lost answer tempts an engine to launch twice), and, when
 * asked ({@link #launchProcessing}), launches by a random time <em>before</em> the fake sees them. Thread-safe.
 */
public final class AwxFront implements AutoCloseable {
    private static final String LAUNCH_PATH = ".*/job_templates/\\d+/launch/";

    private final FakeAwx awx;
    private final Random random;
    private final MockWebServer server = new MockWebServer();
    private final AtomicLong slowLaunches = new AtomicLong();
    private final java.util.Map<String, AtomicLong> requests = new java.util.concurrent.ConcurrentSkipListMap<>();
    private volatile Duration maxLatency = Duration.ZERO;
    private volatile double slowLaunchFraction;
    private volatile Duration slowLaunchMax = Duration.ZERO;
    private volatile Duration launchProcessingMax = Duration.ZERO;
    private final java.util.concurrent.atomic.AtomicReference<@Nullable Hold> nextHold =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final java.util.Map<String, RunScript> tenantScripts = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param awx the fake that decides every answer
     * @param random the source of the delays
     */
    public AwxFront(FakeAwx awx, Random random) {
        this.awx = awx;
        this.random = random;
    }

    /** @param max the longest random delay of every answer @return this */
    public AwxFront latency(Duration max) {
        this.maxLatency = max;
        return this;
    }

    /**
     * @param fraction the share of launches answered late
     * @param max the longest such delay (uniform from 0)
     * @return this
     */
    public AwxFront slowLaunches(double fraction, Duration max) {
        this.slowLaunchFraction = fraction;
        this.slowLaunchMax = max;
        return this;
    }

    /**
     * @param max the longest random time a launch request waits <em>before</em> the fake sees it (uniform from 0): an
     *     AWX whose launch endpoint takes a while to create the job, so that the run does not exist yet while the
     *     request is under way
     * @return this
     */
    public AwxFront launchProcessing(Duration max) {
        this.launchProcessingMax = max;
        return this;
    }

    /**
     * Runs launched for a tenant behave as {@code script} (e.g. a release that fails on some tenants), whatever their
     * provisioning job: the front hands the script to the fake as each launch arrives.
     *
     * @param tenantId the {@code tenant_id} of the launches' extra vars
     * @param script how its runs behave
     * @return this
     */
    public AwxFront scriptForTenant(String tenantId, RunScript script) {
        tenantScripts.put(tenantId, script);
        return this;
    }

    /** Runs of every tenant behave as the fake's default script again (the release was fixed). */
    public void clearTenantScripts() {
        tenantScripts.clear();
    }

    /** Starts the fake and this front on free local ports. @throws IOException when a server cannot start */
    public void start() throws IOException {
        awx.start();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        server.setServerSocketFactory(new NoDelayServerSocketFactory());
        server.start();
    }

    /** @return the front's base URL, where runners are pointed */
    public String baseUrl() {
        return server.url("/").toString();
    }

    /** @return the fake's runner configuration, pointed at this front */
    public AwxConfig.Builder configBuilder() {
        return awx.configBuilder().baseUrl(baseUrl());
    }

    /** @return how many launches were answered late so far */
    public long slowLaunchCount() {
        return slowLaunches.get();
    }

    /**
     * Holds the next launch request <em>before</em> the fake sees it, until {@link Hold#release()}: an AWX that
     * processes a launch only after the client gave up on it.
     *
     * @return the hold
     */
    public Hold holdNextLaunch() {
        Hold hold = new Hold();
        nextHold.set(hold);
        return hold;
    }

    /**
     * @return requests answered so far by kind: {@code POST launch}, {@code GET jobs (poll)}, {@code GET template jobs
     *     (run search)}, {@code other}
     */
    public java.util.Map<String, Long> requestCounts() {
        java.util.Map<String, Long> counts = new java.util.TreeMap<>();
        requests.forEach((k, v) -> counts.put(k, v.get()));
        return counts;
    }

    private static String kind(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        if (path.matches(LAUNCH_PATH)) {
            return request.getMethod() + " launch";
        }
        if (path.matches(".*/job_templates/\\d+/jobs/")) {
            return request.getMethod() + " template jobs (run search)";
        }
        if (path.endsWith("/jobs/")) {
            return request.getMethod() + " jobs (poll)";
        }
        return "other";
    }

    private MockResponse answer(RecordedRequest request) {
        requests.computeIfAbsent(kind(request), k -> new AtomicLong()).incrementAndGet();
        boolean launch = "POST".equals(request.getMethod()) && request.getUrl().encodedPath().matches(LAUNCH_PATH);
        Hold hold = launch ? nextHold.getAndSet(null) : null;
        if (hold != null) {
            hold.hold();
        }
        if (launch && !tenantScripts.isEmpty()) {
            scriptByTenant(request);
        }
        long processingMillis = launch ? randomMillis(launchProcessingMax) : 0;
        if (processingMillis > 0) {
            try {
                Thread.sleep(processingMillis); // the time AWX takes to create the job, not a wait for a state
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        MockResponse answer = awx.dispatch(request);
        if (hold != null) {
            hold.processed();
        }
        long delayMillis = randomMillis(maxLatency);
        if (launch && slowLaunchFraction > 0 && random.nextDouble() < slowLaunchFraction) {
            slowLaunches.incrementAndGet();
            delayMillis += randomMillis(slowLaunchMax);
        }
        return delayMillis == 0 ? answer
                : new MockResponse.Builder(answer).headersDelay(delayMillis, TimeUnit.MILLISECONDS).build();
    }

    /** Gives the fake the script of the launch's tenant, keyed by the launch's provisioning job. */
    private void scriptByTenant(RecordedRequest request) {
        okio.ByteString body = request.getBody();
        if (body == null) {
            return;
        }
        tools.jackson.databind.JsonNode vars = new tools.jackson.databind.ObjectMapper()
                .readTree(body.utf8()).path("extra_vars");
        RunScript script = tenantScripts.get(vars.path(PlaybookVariables.TENANT_ID).asString(""));
        String jobId = vars.path(PlaybookVariables.PROVISIONING_JOB_ID).asString("");
        if (script != null && !jobId.isEmpty()) {
            awx.script(jobId, script);
        }
    }

    private long randomMillis(Duration max) {
        long bound = max.toMillis();
        return bound <= 0 ? 0 : random.nextInt((int) Math.min(Integer.MAX_VALUE, bound + 1));
    }

    @Override
    public void close() {
        server.close();
        awx.close();
    }

    /** A launch request held before processing. Thread-safe. */
    public static final class Hold {
        private final CountDownLatch held = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private final CountDownLatch processed = new CountDownLatch(1);

        private void hold() {
            held.countDown();
            try {
                if (!released.await(60, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("a held launch was never released");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** @return whether the launch request has arrived and is being held */
        public boolean isHolding() {
            return held.getCount() == 0;
        }

        private void processed() {
            processed.countDown();
        }

        /** @return whether the fake has processed the held launch (after {@link #release()}) */
        public boolean isProcessed() {
            return processed.getCount() == 0;
        }

        /** Lets the held launch through to the fake. */
        public void release() {
            released.countDown();
        }
    }

    /** Accepts sockets with TCP_NODELAY, so that answers are not held back by Nagle's algorithm. */
    private static final class NoDelayServerSocketFactory extends ServerSocketFactory {
        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new ServerSocket() {
                @Override
                public Socket accept() throws IOException {
                    Socket socket = super.accept();
                    socket.setTcpNoDelay(true);
                    return socket;
                }
            };
        }

        @Override
        public ServerSocket createServerSocket(int port) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) {
            throw new UnsupportedOperationException();
        }
    }
}
