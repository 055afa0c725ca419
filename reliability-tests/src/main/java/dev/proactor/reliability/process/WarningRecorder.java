package dev.proactor.reliability.process;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Records the warnings the transport logs (Netty's internal logger writes to java.util.logging when no other
 * logging library is present): an exception thrown out of a completion handler, a failing driver wait, a close
 * that failed. A reliability test fails on any.
 */
public final class WarningRecorder extends Handler implements AutoCloseable {
    private final Logger logger;
    private final ConcurrentLinkedQueue<String> records = new ConcurrentLinkedQueue<>();

    private WarningRecorder(Logger logger) {
        this.logger = logger;
        setLevel(Level.WARNING);
    }

    /** Starts recording warnings of the loggers under {@code name} (e.g. "dev.proactor"). */
    public static WarningRecorder start(String name) {
        WarningRecorder r = new WarningRecorder(Logger.getLogger(name));
        r.logger.addHandler(r);
        return r;
    }

    @Override
    public void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            Throwable t = record.getThrown();
            records.add(record.getLoggerName() + ": " + String.valueOf(record.getMessage())
                    + (record.getParameters() == null ? "" : " " + Arrays.toString(record.getParameters()))
                    + (t == null ? "" : " " + t));
        }
    }

    public List<String> warnings() {
        return new ArrayList<>(records);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
