package dev.proactor.netty;

import io.netty.channel.IoHandle;

/** Marker for the handles a {@link ProactorIoHandler} accepts: the Unsafe of every Proactor channel. */
public interface ProactorIoHandle extends IoHandle {
}
