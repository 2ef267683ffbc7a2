package com.example.reliability;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link ApiSecretsContract} with the AWX runner authenticating with a user and password
 * ({@code provisioning.awx.username}, {@code .password}).
 */
@Tag("reliability")
@Tag("secrets")
class ApiSecretsWithAwxPasswordTest extends ApiSecretsContract {
    private static final String USER = "awx-robot";
    private static final String PASSWORD = "api-awx-password-1a2b3c4d5e6f";
    private static final PlatformUnderTest PLATFORM = new PlatformUnderTest("apibasic");

    static {
        PLATFORM.awx.requireBasic(USER, PASSWORD);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        PLATFORM.register(r);
        r.add("provisioning.awx.username", () -> USER);
        r.add("provisioning.awx.password", () -> PASSWORD);
    }

    @Override
    PlatformUnderTest platform() {
        return PLATFORM;
    }

    @Override
    Map<String, String> awxSecrets() {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("AWX password", PASSWORD);
        secrets.put("AWX Basic credentials", Base64.getEncoder().encodeToString((USER + ":" + PASSWORD)
                .getBytes(StandardCharsets.UTF_8)));
        return secrets;
    }

    @Override
    String awxAuthorization() {
        return "Basic " + awxSecrets().get("AWX Basic credentials");
    }

    @Override
    String mode() {
        return "password";
    }
}
