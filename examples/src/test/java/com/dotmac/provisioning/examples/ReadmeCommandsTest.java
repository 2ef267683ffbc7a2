package com.dotmac.provisioning.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's commands name things that exist: the jar, the main classes, the CI test command, the demo users. */
class ReadmeCommandsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static String read(String relative) throws IOException {
        return Files.readString(ROOT.resolve(relative));
    }

    /** The commands of the first bash block under "First ten minutes", without comments. */
    private static List<String> firstTenMinutesCommands() throws IOException {
        String readme = read("README.md");
        int section = readme.indexOf("## First ten minutes");
        assertThat(section).as("README has a 'First ten minutes' section").isNotNegative();
        Matcher block = Pattern.compile("```bash\\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(section));
        assertThat(block.find()).isTrue();
        return block.group(1).lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    @Test
    void theReadmeGivesTwoCommandsAndTheTestCommandIsWhatCiRuns() throws IOException {
        List<String> commands = firstTenMinutesCommands();
        assertThat(commands).hasSize(2);
        String testCommand = commands.get(1);
        assertThat(testCommand).isEqualTo("mvn -B verify");
        List<String> ciMaven = read(".ci/run").lines().map(String::trim).filter(l -> l.startsWith("mvn ")).toList();
        assertThat(ciMaven).as("CI runs the README's test command first").first().isEqualTo(testCommand);
        String readme = read("README.md");
        assertThat(ciMaven.subList(1, ciMaven.size())).as("every further check CI runs is named in the README")
                .allSatisfy(command -> assertThat(readme).contains(command));
    }

    @Test
    void theRunCommandStartsTheJarTheBuildProduces() throws IOException {
        String run = firstTenMinutesCommands().get(0);
        Matcher jar = Pattern.compile("java -jar (\\S+\\.jar)").matcher(run);
        assertThat(jar.find()).as("the run command starts a jar: %s", run).isTrue();
        String pom = read("examples/pom.xml");
        Matcher finalName = Pattern.compile("<finalName>([^<]+)</finalName>").matcher(pom);
        assertThat(finalName.find()).isTrue();
        assertThat(jar.group(1)).isEqualTo("examples/target/" + finalName.group(1) + ".jar");
        assertThat(run).contains("-pl examples -am package");
        assertThat(pom).contains("<mainClass>" + com.dotmac.provisioning.examples.platform.ExamplePlatformApplication.class
                .getName() + "</mainClass>");
    }

    @Test
    void theQuickStartAndCurlExamplesMatchTheExample() throws IOException {
        String readme = read("README.md");
        assertThat(readme).contains("mvn -B -q -pl examples -am compile exec:java");
        assertThat(read("examples/pom.xml")).contains("<mainClass>" + QuickStart.class.getName() + "</mainClass>");
        Properties props = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/application.properties")) {
            props.load(in);
        }
        String password = props.getProperty("example.security.admin-password");
        String port = props.getProperty("server.port");
        assertThat(readme).contains("curl -u admin:" + password + " http://localhost:" + port
                + "/api/v1/tenants/demo");
    }
}
