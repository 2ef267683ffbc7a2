package com.example.reliability;

import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ApiSecretsContract} with the AWX runner authenticating by token ({@code provisioning.awx.token}). */
@Tag("reliability")
@Tag("secrets")
class ApiSecretsWithAwxTokenTest extends ApiSecretsContract {
    private static final String TOKEN = "api-awx-token-4f0e2c9d8b7a6e5f";
    private static final PlatformUnderTest PLATFORM = new PlatformUnderTest("apitoken");

    static {
        PLATFORM.awx.requireToken(TOKEN);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        PLATFORM.register(r);
        r.add("provisioning.awx.token", () -> TOKEN);
    }

    @Override
    PlatformUnderTest platform() {
        return PLATFORM;
    }

    @Override
    Map<String, String> awxSecrets() {
        return Map.of("AWX token", TOKEN);
    }

    @Override
    String awxAuthorization() {
        return "Bearer " + TOKEN;
    }

    @Override
    String mode() {
        return "token";
    }
}
