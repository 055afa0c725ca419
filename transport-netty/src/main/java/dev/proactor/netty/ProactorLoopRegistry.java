package dev.proactor.netty;

import io.netty.util.concurrent.EventExecutor;

import java.lang.ref.WeakReference;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Which {@link ProactorIoHandler} runs each event loop, so that {@link Proactor#stats} can find a group's handlers
 * (Netty keeps a loop's handler to itself). Weak on both sides: a loop nobody uses any more is forgotten.
 */
final class ProactorLoopRegistry {
    private static final Map<Object, WeakReference<ProactorIoHandler>> BY_LOOP =
            Collections.synchronizedMap(new WeakHashMap<>());

    private ProactorLoopRegistry() {
    }

    static void register(Object loop, ProactorIoHandler handler) {
        BY_LOOP.put(loop, new WeakReference<>(handler));
    }

    /** The handler running {@code loop}, or null if it is not a Proactor event loop. */
    static ProactorIoHandler handlerOf(EventExecutor loop) {
        WeakReference<ProactorIoHandler> ref = BY_LOOP.get(loop);
        return ref == null ? null : ref.get();
    }
}
