package dev.proactor.reliability.chaos;

import java.util.concurrent.ThreadLocalRandom;

/** What one chaos client connection does. */
enum ClientScenario {
    /** Send, check the whole echo, close. */
    ECHO(40),
    /** Send, shut the output down, check the whole echo, close at the server's EOF. */
    HALF_CLOSE(12),
    /** SO_LINGER 0 and close part way through a large send: an RST while data is in flight both ways. */
    RESET_MID_WRITE(12),
    /** Write a large buffer and close in the same breath, with the send and a receive in flight. */
    CLOSE_IN_FLIGHT(10),
    /** Like ECHO, but a thread that is not the event loop closes the channel at a random moment. */
    FOREIGN_CLOSE(10),
    /** Start with reads off and let another thread turn them on later: the server has to stop and wait. */
    STALL(10),
    /** Close from the connecting thread right after connect(): before, during or after the handshake. */
    CONNECT_THEN_CLOSE(6);

    private static final ClientScenario[] VALUES = values();
    private static final int TOTAL_WEIGHT;

    static {
        int sum = 0;
        for (ClientScenario s : VALUES) {
            sum += s.weight;
        }
        TOTAL_WEIGHT = sum;
    }

    private final int weight;

    ClientScenario(int weight) {
        this.weight = weight;
    }

    static ClientScenario pick() {
        int r = ThreadLocalRandom.current().nextInt(TOTAL_WEIGHT);
        for (ClientScenario s : VALUES) {
            r -= s.weight;
            if (r < 0) {
                return s;
            }
        }
        throw new AssertionError();
    }

    /** How many bytes to send: mostly small, some medium, a few megabytes. */
    long pickTotal() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        if (this == RESET_MID_WRITE || this == CLOSE_IN_FLIGHT) {
            return rnd.nextLong(256 * 1024, 4 << 20);
        }
        int p = rnd.nextInt(100);
        return p < 70 ? rnd.nextLong(1, 64 * 1024) : p < 95 ? rnd.nextLong(64 * 1024, 1 << 20) : rnd.nextLong(1 << 20, 4 << 20);
    }
}
