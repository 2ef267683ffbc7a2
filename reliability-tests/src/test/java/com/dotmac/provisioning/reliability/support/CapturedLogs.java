package com.dotmac.provisioning.reliability.support;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ListAppender} on the root logger (declared in {@code logback-test.xml}) that records every log event while
 * a test has {@link #arm()}ed it, and keeps each as a line of text: level, logger, thread, the formatted message,
 * key-value pairs, MDC, and every attached exception with its class, message, stack frames, causes and suppressed
 * exceptions. The lines are static, so they survive Spring Boot re-initialising logback (and so replacing this
 * appender) when a context starts. Thread-safe.
 */
public final class CapturedLogs extends ListAppender<ILoggingEvent> {
    private static final List<String> LINES = new ArrayList<>();
    private static volatile boolean armed;
    private static volatile @Nullable CapturedLogs current;

    /** Starts recording (and forgets what was recorded before). */
    public static void arm() {
        synchronized (LINES) {
            LINES.clear();
        }
        CapturedLogs appender = current;
        if (appender != null) {
            synchronized (appender) {
                appender.list.clear();
            }
        }
        armed = true;
    }

    /** Stops recording. */
    public static void disarm() {
        armed = false;
    }

    /** @return the lines recorded since {@link #arm()} */
    public static List<String> lines() {
        synchronized (LINES) {
            return List.copyOf(LINES);
        }
    }

    @Override
    public void start() {
        super.start();
        current = this;
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!armed) {
            return;
        }
        super.append(event);
        StringBuilder line = new StringBuilder().append(event.getLevel()).append(' ').append(event.getLoggerName())
                .append(" [").append(event.getThreadName()).append("] ").append(event.getFormattedMessage());
        if (event.getKeyValuePairs() != null) {
            line.append(' ').append(event.getKeyValuePairs());
        }
        if (!event.getMDCPropertyMap().isEmpty()) {
            line.append(' ').append(event.getMDCPropertyMap());
        }
        appendThrowable(line, event.getThrowableProxy(), 0);
        synchronized (LINES) {
            LINES.add(line.toString());
        }
    }

    private static void appendThrowable(StringBuilder line, IThrowableProxy proxy, int depth) {
        if (proxy == null || depth > 10) {
            return;
        }
        line.append(" | ").append(proxy.getClassName()).append(": ").append(proxy.getMessage());
        StackTraceElementProxy[] frames = proxy.getStackTraceElementProxyArray();
        if (frames != null) {
            for (StackTraceElementProxy frame : frames) {
                line.append("\n\tat ").append(frame.getSTEAsString());
            }
        }
        appendThrowable(line, proxy.getCause(), depth + 1);
        IThrowableProxy[] suppressed = proxy.getSuppressed();
        if (suppressed != null) {
            for (IThrowableProxy s : suppressed) {
                appendThrowable(line, s, depth + 1);
            }
        }
    }
}
