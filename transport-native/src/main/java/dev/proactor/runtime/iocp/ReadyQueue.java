package dev.proactor.runtime.iocp;

import java.util.Arrays;

/**
 * Completions known without a packet (synchronous successes and failures, NOPs, timers, cancelled waits),
 * in order, waiting for the next poll to deliver them: a completion is never delivered inside submit.
 */
final class ReadyQueue {
    private int[] slots = new int[64];
    private int[] results = new int[64];
    private int[] flags = new int[64];
    private int head;
    private int size;

    void add(int slot, int result, int completionFlags) {
        if (size == slots.length) {
            grow();
        }
        int i = (head + size) & (slots.length - 1);
        slots[i] = slot;
        results[i] = result;
        flags[i] = completionFlags;
        size++;
    }

    private void grow() {
        int n = slots.length * 2;
        int[] s = new int[n];
        int[] r = new int[n];
        int[] f = new int[n];
        for (int k = 0; k < size; k++) {
            int i = (head + k) & (slots.length - 1);
            s[k] = slots[i];
            r[k] = results[i];
            f[k] = flags[i];
        }
        slots = s;
        results = r;
        flags = f;
        head = 0;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    int headSlot() {
        return slots[head];
    }

    int headResult() {
        return results[head];
    }

    int headFlags() {
        return flags[head];
    }

    void removeHead() {
        head = (head + 1) & (slots.length - 1);
        size--;
    }

    void clear() {
        head = 0;
        size = 0;
        Arrays.fill(slots, 0);
    }
}
