package com.dotmac.provisioning.awx;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.awx.fake.FakeAwx;
import com.dotmac.provisioning.awx.fake.Fault;
import com.dotmac.provisioning.awx.fake.RunScript;
import com.dotmac.provisioning.spi.AutomationException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, item 13: an AWX answer larger than the runner's body cap (32 MiB) fails the call with a clear error
 * naming the size and the path, whether its size is declared (Content-Length) or not (chunked): the runner never
 * buffers more than the cap plus one byte.
 */
class AwxResponseSizeTest extends FakeAwxTest {
    private static final long CAP = 32L * 1024 * 1024;

    /** @return a valid JSON page of no jobs, padded to more than the cap */
    private static Buffer hugeJsonPage() {
        Buffer body = new Buffer().writeUtf8("{\"count\": 0, \"next\": null, \"results\": [], \"padding\": \"");
        byte[] block = new byte[64 * 1024];
        java.util.Arrays.fill(block, (byte) 'x');
        while (body.size() <= CAP + 1024) {
            body.write(block);
        }
        return body.writeUtf8("\"}");
    }

    private String job() {
        return String.valueOf(fake.addJob(FakeAwx.PROVISION_TEMPLATE, Map.of(), Instant.now(),
                RunScript.succeedAfter(0)));
    }

    @Test
    void aChunkedAnswerLargerThanTheCapFailsNamingTheSizeAndThePath() {
        String id = job();
        AwxAutomationRunner runner = runner(b -> b.apiPath("/api/v2/").maxRetries(0));
        fake.failNext(1, Fault.of("chunked 32 MiB+", new MockResponse.Builder().code(200)
                .setHeader("Content-Type", "application/json").chunkedBody(hugeJsonPage(), 256 * 1024).build()),
                "GET", "jobs/");

        AutomationException e = failure(() -> runner.poll(List.of(id)));

        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.RESPONSE_TOO_LARGE);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains("/api/v2/jobs/").contains("more than " + CAP + " bytes")
                .contains("no Content-Length");
    }

    @Test
    void aDeclaredAnswerLargerThanTheCapFailsTheSameWayBeforeItIsRead() {
        String id = job();
        AwxAutomationRunner runner = runner(b -> b.apiPath("/api/v2/").maxRetries(0));
        Buffer body = hugeJsonPage();
        long size = body.size();
        fake.failNext(1, Fault.of("declared 32 MiB+", new MockResponse.Builder().code(200)
                .setHeader("Content-Type", "application/json").body(body).build()), "GET", "jobs/");

        AutomationException e = failure(() -> runner.poll(List.of(id)));

        assertThat(e.errorCode()).isEqualTo(AwxErrorCodes.RESPONSE_TOO_LARGE);
        assertThat(e.getMessage()).contains("/api/v2/jobs/").contains(size + " bytes (Content-Length)")
                .contains("at most " + CAP + " bytes");
    }

    @Test
    void aChunkedAnswerWithinTheCapIsRead() {
        String id = job();
        AwxAutomationRunner runner = runner(b -> b.apiPath("/api/v2/").maxRetries(0));
        fake.failNext(1, Fault.of("chunked, small", new MockResponse.Builder().code(200)
                .setHeader("Content-Type", "application/json")
                .chunkedBody("{\"count\": 0, \"next\": null, \"results\": []}", 8).build()), "GET", "jobs/");

        assertThat(runner.poll(List.of(id))).containsKey(id);
    }
}
