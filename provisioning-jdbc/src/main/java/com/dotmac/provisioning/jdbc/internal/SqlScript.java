package com.dotmac.provisioning.jdbc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a migration script from the classpath and splits it into statements. The scripts this module ships keep to
 * a simple form that makes splitting safe: {@code --} comments on their own lines, and every statement ending with
 * {@code ;} at the end of a line (no semicolons inside literals, no procedural blocks).
 */
public final class SqlScript {
    private SqlScript() {
    }

    /**
     * @param resource the script's classpath resource name (no leading slash)
     * @return its statements, without the terminating semicolons
     * @throws IllegalStateException when the resource is missing
     * @throws UncheckedIOException when it cannot be read
     */
    public static List<String> load(String resource) {
        ClassLoader loader = SqlScript.class.getClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + resource + " is missing");
            }
            return split(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read classpath resource " + resource, e);
        }
    }

    /**
     * @param script SQL text in the form described above
     * @return its statements
     */
    public static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\\R")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            if (current.length() > 0) {
                current.append('\n');
            }
            if (trimmed.endsWith(";")) {
                current.append(line, 0, line.lastIndexOf(';'));
                statements.add(current.toString().strip());
                current.setLength(0);
            } else {
                current.append(line);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }
}
