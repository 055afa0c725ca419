package dev.proactor.runtime;

import java.util.Arrays;
import java.util.function.Consumer;

/** A driver's registered {@link BufferRing}s by group id (a lookup without allocation). Owning thread only. */
public final class BufferRings {
    private BufferRing[] byGroup = new BufferRing[4];
    private int size;

    /** Throws IllegalArgumentException if {@code groupId} is taken. */
    public void checkUnused(int groupId) {
        if (groupId >= 0 && groupId < byGroup.length && byGroup[groupId] != null) {
            throw new IllegalArgumentException("buffer group " + groupId + " is already registered");
        }
    }

    public BufferRing add(BufferRing ring) {
        int id = ring.groupId();
        checkUnused(id);
        if (id >= byGroup.length) {
            byGroup = Arrays.copyOf(byGroup, Math.max(id + 1, byGroup.length * 2));
        }
        byGroup[id] = ring;
        size++;
        return ring;
    }

    /** The ring of {@code groupId}; IllegalArgumentException if none is registered. */
    public BufferRing get(int groupId) {
        BufferRing r = groupId >= 0 && groupId < byGroup.length ? byGroup[groupId] : null;
        if (r == null) {
            throw new IllegalArgumentException("no buffer ring is registered as group " + groupId);
        }
        return r;
    }

    public int size() {
        return size;
    }

    public void forEach(Consumer<BufferRing> action) {
        for (BufferRing r : byGroup) {
            if (r != null) {
                action.accept(r);
            }
        }
    }

    /** The driver closed: every ring stops taking buffers back for receives. */
    public void closeAll() {
        forEach(BufferRing::close);
    }
}
