package com.dotmac.provisioning.awx;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/** Captures everything logged (all loggers, DEBUG and up) while open, including exception texts. */
final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final Level previous = root.getLevel();

    LogCapture() {
        appender.start();
        root.addAppender(appender);
        root.setLevel(Level.DEBUG);
    }

    /** @return every captured line: level, logger, message, and the messages of attached exceptions */
    String text() {
        return events().stream().map(e -> e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage()
                + throwable(e.getThrowableProxy())).collect(Collectors.joining("\n"));
    }

    /** @return the captured events */
    List<ILoggingEvent> events() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    private static String throwable(IThrowableProxy proxy) {
        return proxy == null ? "" : " | " + proxy.getClassName() + ": " + proxy.getMessage() + throwable(proxy.getCause());
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        root.setLevel(previous);
    }
}
