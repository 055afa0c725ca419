package dev.proactor.runtime.poll;

import com.sun.jna.Platform;

/** struct epoll_event: packed (12 bytes) on x86-64, naturally aligned (16 bytes) elsewhere. */
final class EpollEventLayout {
    static final boolean PACKED = Platform.isIntel() && Platform.is64Bit();
    static final int SIZE = PACKED ? 12 : 16;
    static final int EVENTS_OFFSET = 0;
    static final int DATA_OFFSET = PACKED ? 4 : 8;

    private EpollEventLayout() {
    }
}
