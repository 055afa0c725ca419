package dev.proactor.runtime.uring;

import java.util.Arrays;

/**
 * CQEs taken off the ring before they could be delivered. Only used when a submission outside
 * {@code poll} meets EBUSY (kernels before 5.19 refuse submissions while the CQ has overflowed): the CQ is
 * emptied into this backlog and the next poll delivers it first, in order.
 */
final class CompletionBacklog {
    private long[] userData = new long[0];
    private int[] results = new int[0];
    private int[] flags = new int[0];
    private int head;
    private int size;

    boolean isEmpty() {
        return head == size;
    }

    void add(long ud, int res, int fl) {
        if (size == userData.length) {
            int cap = Math.max(64, size * 2);
            userData = Arrays.copyOf(userData, cap);
            results = Arrays.copyOf(results, cap);
            flags = Arrays.copyOf(flags, cap);
        }
        userData[size] = ud;
        results[size] = res;
        flags[size] = fl;
        size++;
    }

    long userData() {
        return userData[head];
    }

    int result() {
        return results[head];
    }

    int flags() {
        return flags[head];
    }

    void remove() {
        if (++head == size) {
            head = 0;
            size = 0;
        }
    }
}
