package dev.proactor.compat;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.testsuite.transport.AbstractSingleThreadEventLoopTest;

import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.Executor;

@SingleDriver
public class ProactorEventLoopTest extends AbstractSingleThreadEventLoopTest {
    private static Transport transport() {
        return ProactorSocketTestPermutation.INSTANCE.singleDriver();
    }

    // supportsChannelIteration() keeps its default (false): SingleThreadIoEventLoop, which runs every IoHandler
    // (NIO's, io_uring's and Proactor's alike), does not implement registeredChannelsIterator().

    @Override
    protected EventLoopGroup newEventLoopGroup() {
        return new MultiThreadIoEventLoopGroup(1, transport().ioHandlerFactory());
    }

    @Override
    protected EventLoopGroup newAutoScalingEventLoopGroup() {
        return new MultiThreadIoEventLoopGroup(SCALING_MAX_THREADS, (Executor) null, AUTO_SCALING_CHOOSER_FACTORY,
                transport().ioHandlerFactory());
    }

    @Override
    protected Channel newChannel() {
        try {
            return transport().serverSocketChannel().getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected Class<? extends ServerChannel> serverChannelClass() {
        return transport().serverSocketChannel();
    }
}
