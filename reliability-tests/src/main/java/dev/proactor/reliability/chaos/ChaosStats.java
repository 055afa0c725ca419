package dev.proactor.reliability.chaos;

import dev.proactor.runtime.NativeError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/** What a chaos run did and saw; every counter is safe to bump from any thread. */
public final class ChaosStats {
    private static final int MAX_SAMPLES = 8;

    public final LongAdder connectAttempts = new LongAdder();
    public final LongAdder connected = new LongAdder();
    public final LongAdder connectFailures = new LongAdder();
    public final LongAdder clientClosed = new LongAdder();
    /** Connections whose every byte came back and was checked. */
    public final LongAdder verifiedComplete = new LongAdder();
    /** Connections that ended before all bytes came back (a reset, a close by the other side, a loop shutdown). */
    public final LongAdder cutShort = new LongAdder();
    public final LongAdder bytesSent = new LongAdder();
    public final LongAdder bytesVerified = new LongAdder();
    public final LongAdder clientWrites = new LongAdder();
    public final LongAdder clientReads = new LongAdder();
    public final LongAdder mismatches = new LongAdder();

    public final LongAdder accepted = new LongAdder();
    public final LongAdder serverReads = new LongAdder();
    public final LongAdder serverWrites = new LongAdder();
    public final LongAdder serverBytes = new LongAdder();

    /** Closes with SO_LINGER 0 while data was in flight (an RST to the peer), by clients and by the server. */
    public final LongAdder resetsSent = new LongAdder();
    /** ECONNRESET (or EPIPE) reported to a handler. */
    public final LongAdder resetsSeen = new LongAdder();
    public final LongAdder halfCloses = new LongAdder();
    public final LongAdder closesWithWriteInFlight = new LongAdder();
    public final LongAdder foreignThreadCloses = new LongAdder();
    public final LongAdder serverCloses = new LongAdder();
    public final LongAdder autoReadToggles = new LongAdder();
    public final LongAdder loopShutdownsUnderLoad = new LongAdder();
    public final LongAdder connectionsOpenAtLoopShutdown = new LongAdder();
    /** Connections still open long after their work should have ended (a lost completion would show here). */
    public final LongAdder stuck = new LongAdder();

    private final Map<String, LongAdder> scenarios = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();

    void scenario(Object s) {
        scenarios.computeIfAbsent(String.valueOf(s), k -> new LongAdder()).increment();
    }

    void error(Throwable t) {
        String name = t.getClass().getSimpleName();
        if (t instanceof NativeError) {
            name += "(" + ((NativeError) t).codeName() + ")";
        }
        errors.computeIfAbsent(name, k -> new LongAdder()).increment();
        String m = String.valueOf(t.getMessage());
        if (m.contains("ECONNRESET") || m.contains("EPIPE") || m.contains("Connection reset")
                || m.contains("Broken pipe")) {
            resetsSeen.increment();
        }
    }

    /** Keeps a description of something that must not happen (a mismatch, a stuck connection). */
    void sample(String what) {
        if (samples.size() < MAX_SAMPLES) {
            samples.add(what);
        }
    }

    public Map<String, Long> scenarios() {
        return snapshot(scenarios);
    }

    public Map<String, Long> errors() {
        return snapshot(errors);
    }

    public List<String> samples() {
        return new ArrayList<>(samples);
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> m) {
        Map<String, Long> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    @Override
    public String toString() {
        return "connections: " + connectAttempts.sum() + " attempted, " + connected.sum() + " connected, "
                + connectFailures.sum() + " connect failures, " + accepted.sum() + " accepted, "
                + verifiedComplete.sum() + " fully echoed and verified, " + cutShort.sum() + " cut short, "
                + stuck.sum() + " stuck\n"
                + "scenarios: " + scenarios() + "\n"
                + "operations: client writes " + clientWrites.sum() + ", client reads " + clientReads.sum()
                + ", server reads " + serverReads.sum() + ", server writes " + serverWrites.sum() + "; bytes sent "
                + bytesSent.sum() + ", echoed " + serverBytes.sum() + ", verified " + bytesVerified.sum()
                + ", mismatches " + mismatches.sum() + "\n"
                + "chaos: resets sent " + resetsSent.sum() + ", resets seen " + resetsSeen.sum() + ", half-closes "
                + halfCloses.sum() + ", closes with a write in flight " + closesWithWriteInFlight.sum()
                + ", foreign-thread closes " + foreignThreadCloses.sum() + ", server closes " + serverCloses.sum()
                + ", autoRead toggles " + autoReadToggles.sum() + ", event loops shut down under load "
                + loopShutdownsUnderLoad.sum() + " (with " + connectionsOpenAtLoopShutdown.sum() + " connections open)\n"
                + "errors seen by handlers: " + errors();
    }
}
