package com.dotmac.provisioning.benchmarks.support;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Writes the benchmark report as Markdown to a stream as it goes (so that a long run shows progress) and keeps the
 * text. Not thread-safe; the benchmarks write from their main thread.
 */
public final class Report {
    private final PrintStream out;
    private final StringBuilder text = new StringBuilder();

    /** @param out where the report goes as it is written */
    public Report(PrintStream out) {
        this.out = out;
    }

    /**
     * @param level 1-4
     * @param title the heading
     * @return this
     */
    public Report heading(int level, String title) {
        return line("").line("#".repeat(level) + " " + title).line("");
    }

    /**
     * @param format a {@link String#format} pattern (root locale)
     * @param args its arguments
     * @return this
     */
    public Report line(String format, Object... args) {
        String s = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
        text.append(s).append('\n');
        out.println(s);
        out.flush();
        return this;
    }

    /**
     * @param header the column names
     * @param rows the rows, as many cells as columns
     * @return this
     */
    public Report table(List<String> header, List<List<String>> rows) {
        line("| " + String.join(" | ", header) + " |");
        line("|" + "---|".repeat(header.size()));
        for (List<String> row : rows) {
            line("| " + String.join(" | ", row) + " |");
        }
        return line("");
    }

    /**
     * @param value a number
     * @param decimals digits after the point
     * @return it formatted (root locale); {@code n/a} when it is not a number
     */
    public static String num(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    /** @return everything written so far */
    @Override
    public String toString() {
        return text.toString();
    }
}
