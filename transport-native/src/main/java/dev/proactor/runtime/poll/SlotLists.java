package dev.proactor.runtime.poll;

import java.util.Arrays;

/**
 * Intrusive FIFO lists of in-flight slots (the {@link dev.proactor.runtime.InFlightOps} indices): every
 * slot is in at most one list, the links live in int arrays indexed by slot, so queueing and unqueueing an
 * operation allocates nothing. Lists are numbered; their heads and tails are int arrays that grow.
 */
final class SlotLists {
    static final int NONE = -1;

    private int[] next;
    private int[] prev;
    private int[] listOf;
    private int[] head;
    private int[] tail;

    SlotLists(int slots, int lists) {
        next = filled(slots);
        prev = filled(slots);
        listOf = filled(slots);
        head = filled(lists);
        tail = filled(lists);
    }

    private static int[] filled(int n) {
        int[] a = new int[n];
        Arrays.fill(a, NONE);
        return a;
    }

    private static int[] grown(int[] a, int n) {
        int old = a.length;
        int[] b = Arrays.copyOf(a, n);
        Arrays.fill(b, old, n, NONE);
        return b;
    }

    void ensureSlots(int slots) {
        if (slots > next.length) {
            int n = Math.max(slots, next.length * 2);
            next = grown(next, n);
            prev = grown(prev, n);
            listOf = grown(listOf, n);
        }
    }

    void ensureLists(int lists) {
        if (lists > head.length) {
            int n = Math.max(lists, head.length * 2);
            head = grown(head, n);
            tail = grown(tail, n);
        }
    }

    int listCount() {
        return head.length;
    }

    void append(int list, int slot) {
        int t = tail[list];
        prev[slot] = t;
        next[slot] = NONE;
        listOf[slot] = list;
        if (t == NONE) {
            head[list] = slot;
        } else {
            next[t] = slot;
        }
        tail[list] = slot;
    }

    /** Unlinks {@code slot} from whichever list holds it; returns that list, or NONE. */
    int remove(int slot) {
        int list = listOf[slot];
        if (list == NONE) {
            return NONE;
        }
        int p = prev[slot];
        int n = next[slot];
        if (p == NONE) {
            head[list] = n;
        } else {
            next[p] = n;
        }
        if (n == NONE) {
            tail[list] = p;
        } else {
            prev[n] = p;
        }
        next[slot] = NONE;
        prev[slot] = NONE;
        listOf[slot] = NONE;
        return list;
    }

    int head(int list) {
        return head[list];
    }

    int tail(int list) {
        return tail[list];
    }

    int next(int slot) {
        return next[slot];
    }

    boolean isEmpty(int list) {
        return head[list] == NONE;
    }

    /** The list holding {@code slot}, or NONE. */
    int listOf(int slot) {
        return listOf[slot];
    }
}
