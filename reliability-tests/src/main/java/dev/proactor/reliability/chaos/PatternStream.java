package dev.proactor.reliability.chaos;

import io.netty.buffer.ByteBuf;

import java.util.Arrays;
import java.util.Random;

/**
 * The byte stream a chaos connection sends: a fixed random table read from a per-connection offset, so any
 * position can be written and checked without keeping what was sent.
 */
public final class PatternStream {
    private static final int SIZE = 1 << 20;
    private static final int PIECE = 64 * 1024;
    private static final byte[] TABLE = new byte[SIZE + PIECE];

    static {
        byte[] random = new byte[SIZE];
        new Random(0x5eedL).nextBytes(random);
        // The tail repeats the head, so a piece that starts near the end reads on as if the table wrapped.
        System.arraycopy(random, 0, TABLE, 0, SIZE);
        System.arraycopy(random, 0, TABLE, SIZE, PIECE);
    }

    private PatternStream() {
    }

    /** Appends bytes {@code [pos, pos + len)} of stream {@code seed} to {@code dst}. */
    public static void write(ByteBuf dst, long seed, long pos, int len) {
        while (len > 0) {
            int n = Math.min(len, PIECE);
            dst.writeBytes(TABLE, index(seed, pos), n);
            pos += n;
            len -= n;
        }
    }

    /**
     * Compares the readable bytes of {@code src} with stream {@code seed} from {@code pos}.
     *
     * @param scratch at least 64 KiB
     * @return -1 if they match, else the offset (within the readable bytes) of the first difference
     */
    public static int verify(ByteBuf src, long seed, long pos, byte[] scratch) {
        int from = src.readerIndex();
        int left = src.readableBytes();
        int done = 0;
        while (left > 0) {
            int n = Math.min(left, PIECE);
            src.getBytes(from + done, scratch, 0, n);
            int i = index(seed, pos + done);
            int m = Arrays.mismatch(scratch, 0, n, TABLE, i, i + n);
            if (m >= 0) {
                return done + m;
            }
            done += n;
            left -= n;
        }
        return -1;
    }

    /** A scratch array big enough for {@link #verify}. */
    public static byte[] newScratch() {
        return new byte[PIECE];
    }

    private static int index(long seed, long pos) {
        return (int) ((seed + pos) & (SIZE - 1));
    }
}
