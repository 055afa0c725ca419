package dev.proactor.netty;

import dev.proactor.runtime.BufferRing;
import dev.proactor.runtime.DriverKind;
import io.netty.channel.IoRegistration;

/**
 * A handle's registration with a {@link ProactorIoHandler}. The event loop hands channels a wrapper of it; the
 * wrapper's {@link IoRegistration#attachment()} is this object, which adds per-op cancellation.
 *
 * <p>{@link #cancel()} does not drop the handle at once: completions of ops still in flight keep arriving, and
 * {@link ProactorIoHandle#unregistered()} is called after the last one, when no op can touch the handle's memory.
 */
public interface ProactorIoRegistration extends IoRegistration {

    /**
     * Asks the driver to cancel {@code ops}. The op still completes once more (-ECANCELED or its real result).
     * Event loop thread only.
     *
     * @return false if the op was not in flight
     */
    boolean cancel(ProactorIoOps ops);

    /** The driver serving this registration. */
    DriverKind driverKind();

    /**
     * The event loop's ring of provided receive buffers for multishot stream receives, or null when they are not
     * used (configured off, or the driver has no kernel buffer rings). Event loop thread only.
     */
    default BufferRing recvBufferRing() {
        return null;
    }
}
