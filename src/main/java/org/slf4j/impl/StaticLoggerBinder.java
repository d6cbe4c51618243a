package org.slf4j.impl;

import dev.ecroidcguard.aws.SdkLog;
import org.slf4j.ILoggerFactory;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MarkerIgnoringBase;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.spi.LoggerFactoryBinder;

/**
 * The SLF4J 1.7 binding the AWS SDK logs through: warnings and errors become JSON lines of {@link SdkLog} (with the
 * request id and the operation), everything below is dropped, as {@code slf4j-nop} dropped it all before.
 */
public final class StaticLoggerBinder implements LoggerFactoryBinder {

    /** Read by SLF4J to check the binding's API version. */
    public static String REQUESTED_API_VERSION = "1.6.99";

    private static final StaticLoggerBinder SINGLETON = new StaticLoggerBinder();

    private final ILoggerFactory factory = WarningsLogger::new;

    public static StaticLoggerBinder getSingleton() {
        return SINGLETON;
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public String getLoggerFactoryClassStr() {
        return WarningsLogger.class.getName();
    }

    /** A logger that writes WARN and ERROR to {@link SdkLog} and drops the rest. */
    static final class WarningsLogger extends MarkerIgnoringBase {

        WarningsLogger(String name) {
            this.name = name;
        }

        // TRACE, DEBUG, INFO: dropped.
        // @formatter:off
        @Override public boolean isTraceEnabled() { return false; }
        @Override public void trace(String msg) { }
        @Override public void trace(String format, Object arg) { }
        @Override public void trace(String format, Object arg1, Object arg2) { }
        @Override public void trace(String format, Object... args) { }
        @Override public void trace(String msg, Throwable t) { }
        @Override public boolean isDebugEnabled() { return false; }
        @Override public void debug(String msg) { }
        @Override public void debug(String format, Object arg) { }
        @Override public void debug(String format, Object arg1, Object arg2) { }
        @Override public void debug(String format, Object... args) { }
        @Override public void debug(String msg, Throwable t) { }
        @Override public boolean isInfoEnabled() { return false; }
        @Override public void info(String msg) { }
        @Override public void info(String format, Object arg) { }
        @Override public void info(String format, Object arg1, Object arg2) { }
        @Override public void info(String format, Object... args) { }
        @Override public void info(String msg, Throwable t) { }
        // @formatter:on

        private void log(String level, FormattingTuple message) {
            Throwable t = message.getThrowable();
            SdkLog.INSTANCE.write(level, name, t == null ? message.getMessage() : message.getMessage() + ": " + t);
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public void warn(String msg) {
            log("WARN", new FormattingTuple(msg));
        }

        @Override
        public void warn(String format, Object arg) {
            log("WARN", MessageFormatter.format(format, arg));
        }

        @Override
        public void warn(String format, Object arg1, Object arg2) {
            log("WARN", MessageFormatter.format(format, arg1, arg2));
        }

        @Override
        public void warn(String format, Object... args) {
            log("WARN", MessageFormatter.arrayFormat(format, args));
        }

        @Override
        public void warn(String msg, Throwable t) {
            log("WARN", new FormattingTuple(msg, null, t));
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        @Override
        public void error(String msg) {
            log("ERROR", new FormattingTuple(msg));
        }

        @Override
        public void error(String format, Object arg) {
            log("ERROR", MessageFormatter.format(format, arg));
        }

        @Override
        public void error(String format, Object arg1, Object arg2) {
            log("ERROR", MessageFormatter.format(format, arg1, arg2));
        }

        @Override
        public void error(String format, Object... args) {
            log("ERROR", MessageFormatter.arrayFormat(format, args));
        }

        @Override
        public void error(String msg, Throwable t) {
            log("ERROR", new FormattingTuple(msg, null, t));
        }
    }
}
