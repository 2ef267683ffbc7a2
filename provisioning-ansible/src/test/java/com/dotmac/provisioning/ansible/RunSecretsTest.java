package com.dotmac.provisioning.ansible;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.ConnectionProfile;
import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.ansible.internal.RunDirectory;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files that may hold the callback token (extra vars, a customer-hosted inventory) are readable by the owner
 * only while the run goes and gone afterwards, however the run ends; the token is in no log line and in no file left.
 */
@RequiresAnsible
class RunSecretsTest {
    private static final String TOKEN = "cb-token-5f0c1e7d9a2b4c6e8f1a3b5c7d9e0f12";

    @TempDir
    Path temp;

    private AnsiblePlaybookRunner runner;

    @AfterEach
    void stopWhatStillRuns() throws IOException {
        if (runner != null) {
            Fixtures.stopAll(runner);
        }
    }

    @Test
    void theExtraVarsAreOwnerOnlyWhileTheRunGoesAndGoneAfterItWasCancelled() throws IOException {
        runner = new AnsiblePlaybookRunner(Fixtures.fixtureConfig(temp.resolve("runs")).build());
        try (LogCapture logs = new LogCapture()) {
            LaunchSpec spec = Fixtures.fixtureSpec("secret-hang",
                    Map.of("fixture_outcome", "hang", PlaybookVariables.PLATFORM_CALLBACK_TOKEN, TOKEN));
            String runId = runner.launch(spec).runId();
            Path dir = temp.resolve("runs").resolve(runId);
            Path extraVars = dir.resolve(RunDirectory.EXTRA_VARS);

            Fixtures.awaitProcessGroup(dir);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(extraVars))).isEqualTo("rw-------");
            assertThat(Files.readString(extraVars)).contains(TOKEN); // the run does receive it

            runner.cancel(runId);
            assertThat(Fixtures.awaitEnd(runner, runId).state()).isEqualTo(RunState.CANCELED);

            assertThat(extraVars).doesNotExist();
            assertThat(Fixtures.filesContaining(dir, TOKEN)).isEmpty();
            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(TOKEN));
        }
    }

    @Test
    void aCustomerHostedRunsInventoryIsOwnerOnlyWhileItGoesAndGoneAfterItSucceeded() throws IOException {
        runner = new AnsiblePlaybookRunner(Fixtures.fixtureConfig(temp.resolve("runs"))
                .customerCredentials(CustomerCredentials.SSH_DEFAULTS).build());
        Path gate = temp.resolve("gate");
        try (LogCapture logs = new LogCapture()) {
            LaunchSpec spec = Fixtures.spec("secret-customer", "secret-customer", Operation.PROVISION,
                    DeploymentMode.CUSTOMER_HOSTED,
                    Map.of("fixture_gate", gate.toString(), PlaybookVariables.PLATFORM_CALLBACK_TOKEN, TOKEN),
                    new ConnectionProfile("customer.example.net", 2222, "deploy", "cred-1"), null);
            String runId = runner.launch(spec).runId();
            Path dir = temp.resolve("runs").resolve(runId);
            Path inventory = dir.resolve(RunDirectory.INVENTORY);

            Fixtures.awaitProcessGroup(dir);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(inventory))).isEqualTo("rw-------");
            assertThat(Files.readString(inventory)).contains("customer.example.net");
            Files.createFile(gate);

            assertThat(Fixtures.awaitEnd(runner, runId).state()).isEqualTo(RunState.SUCCEEDED);
            assertThat(inventory).doesNotExist();
            assertThat(dir.resolve(RunDirectory.EXTRA_VARS)).doesNotExist();
            assertThat(Fixtures.filesContaining(dir, TOKEN)).isEmpty();
            assertThat(logs.lines()).isNotEmpty().noneMatch(line -> line.contains(TOKEN));
        }
    }
}
