package dev.proactor.bench.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.function.Supplier;

/**
 * One Netty transport under test: how to make its event loops and which channel classes go with them.
 *
 * @param name                 the name used on the command line and in reports
 * @param availabilityCheck    throws (with the reason) when the transport cannot run on this host
 * @param ioHandlerFactory     makes the transport's {@link IoHandlerFactory}; called after the check passed
 * @param serverChannelClass   the listening channel class
 * @param channelClass         the connected (client) channel class
 */
public record Transport(String name,
                        Runnable availabilityCheck,
                        Supplier<IoHandlerFactory> ioHandlerFactory,
                        Class<? extends ServerChannel> serverChannelClass,
                        Class<? extends Channel> channelClass) {

    /** An event loop group of {@code threads} threads on this transport, threads named after it. */
    public EventLoopGroup newEventLoopGroup(int threads, String role) {
        availabilityCheck.run();
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(role + "-" + name),
                ioHandlerFactory.get());
    }

    /** Null when usable, else why not. */
    public Throwable unavailabilityCause() {
        try {
            availabilityCheck.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }
}
