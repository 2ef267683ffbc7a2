package com.dotmac.provisioning.reliability.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures a reliability run produced, printed and written to {@code target/reliability/<name>.txt} (the
 * directory comes from {@code reliability.figures.dir}), one {@code key: value} line each, in insertion order.
 * Not thread-safe; one per test.
 */
public final class Figures {
    private final String name;
    private final Map<String, Object> values = new LinkedHashMap<>();

    /** @param name the run's name, e.g. {@code crash} */
    public Figures(String name) {
        this.name = name;
    }

    /** @param key what is measured @param value its value @return this */
    public Figures put(String key, Object value) {
        values.put(key, value);
        return this;
    }

    /** @param key what is measured @param seconds a duration @return this */
    public Figures seconds(String key, double seconds) {
        return put(key, String.format(java.util.Locale.ROOT, "%.1f s", seconds));
    }

    /** Prints the figures and writes them to the figures directory. */
    public void save() {
        StringBuilder text = new StringBuilder();
        values.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        System.out.println("=== reliability figures: " + name + " ===\n" + text);
        Path dir = Path.of(System.getProperty("reliability.figures.dir", "target/reliability"));
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".txt"), text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the figures of " + name, e);
        }
    }
}
