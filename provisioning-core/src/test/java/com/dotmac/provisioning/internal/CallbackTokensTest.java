package com.dotmac.provisioning.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.internal.engine.CallbackTokens;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CallbackTokensTest {
    @Test
    void tokensAreStablePerJobAndDifferBetweenJobsAndSecrets() {
        byte[] secret = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        CallbackTokens tokens = new CallbackTokens(secret);
        CallbackTokens other = new CallbackTokens("ffffffffffffffffffffffffffffffff".getBytes(StandardCharsets.UTF_8));
        String token = tokens.tokenFor("job-1");

        assertThat(tokens.tokenFor("job-1")).isEqualTo(token);
        assertThat(token).matches("[A-Za-z0-9_-]{43}");
        assertThat(tokens.isValid("job-1", token)).isTrue();
        assertThat(tokens.isValid("job-2", token)).isFalse();
        assertThat(other.isValid("job-1", token)).isFalse();
        assertThat(tokens.isValid("job-1", token.substring(1))).isFalse();
        assertThat(tokens.isValid("job-1", null)).isFalse();
        assertThat(tokens.toString()).doesNotContain("0123456789");
    }
}
