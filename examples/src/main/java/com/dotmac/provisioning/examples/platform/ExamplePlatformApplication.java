package com.dotmac.provisioning.examples.platform;

import com.dotmac.provisioning.examples.LocalAnsible;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Starts the example platform: {@code java -jar examples/target/example-platform.jar}. */
@SpringBootApplication
public class ExamplePlatformApplication {

    /** @param args Spring Boot arguments, e.g. {@code --server.port=9090} */
    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(ExamplePlatformApplication.class);
        Map<String, Object> defaults = LocalAnsible.defaults();
        app.setDefaultProperties(defaults);
        app.run(args);
    }
}
