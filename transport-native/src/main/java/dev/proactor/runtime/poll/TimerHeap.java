package dev.proactor.runtime.poll;

import java.util.Arrays;

/**
 * A binary min-heap of slots by deadline (System.nanoTime), with removal by slot for cancellation. Public for
 * the drivers that keep their own timers (poll, IOCP).
 */
public final class TimerHeap {
    private int[] heap = new int[16];
    private int size;
    private long[] deadline;
    private int[] indexOf;

    public TimerHeap(int slots) {
        deadline = new long[slots];
        indexOf = new int[slots];
        Arrays.fill(indexOf, -1);
    }

    public void ensureSlots(int slots) {
        if (slots > indexOf.length) {
            int old = indexOf.length;
            int n = Math.max(slots, old * 2);
            deadline = Arrays.copyOf(deadline, n);
            indexOf = Arrays.copyOf(indexOf, n);
            Arrays.fill(indexOf, old, n, -1);
        }
    }

    public boolean isEmpty() {
        return size == 0;
    }

    public boolean contains(int slot) {
        return slot < indexOf.length && indexOf[slot] >= 0;
    }

    /** The earliest deadline; only when not empty. */
    public long firstDeadline() {
        return deadline[heap[0]];
    }

    public void add(int slot, long deadlineNanos) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        deadline[slot] = deadlineNanos;
        heap[size] = slot;
        indexOf[slot] = size;
        siftUp(size++);
    }

    /** Removes and returns the slot with the earliest deadline; only when not empty. */
    public int removeFirst() {
        int slot = heap[0];
        removeAt(0);
        return slot;
    }

    public boolean remove(int slot) {
        if (!contains(slot)) {
            return false;
        }
        removeAt(indexOf[slot]);
        return true;
    }

    private void removeAt(int i) {
        int slot = heap[i];
        indexOf[slot] = -1;
        int last = heap[--size];
        if (i < size) {
            heap[i] = last;
            indexOf[last] = i;
            siftDown(i);
            siftUp(indexOf[last]);
        }
    }

    private boolean before(int a, int b) {
        // Subtraction, not <, so that nanoTime wrap-around keeps the order.
        return deadline[a] - deadline[b] < 0;
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(heap[i], heap[parent])) {
                break;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        for (;;) {
            int l = 2 * i + 1;
            if (l >= size) {
                return;
            }
            int c = l + 1 < size && before(heap[l + 1], heap[l]) ? l + 1 : l;
            if (!before(heap[c], heap[i])) {
                return;
            }
            swap(i, c);
            i = c;
        }
    }

    private void swap(int i, int j) {
        int a = heap[i];
        int b = heap[j];
        heap[i] = b;
        heap[j] = a;
        indexOf[b] = i;
        indexOf[a] = j;
    }
}
