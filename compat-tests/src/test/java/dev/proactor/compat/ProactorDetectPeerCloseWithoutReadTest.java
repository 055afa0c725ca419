package dev.proactor.compat;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.unix.tests.DetectPeerCloseWithoutReadTest;

@SingleDriver
public class ProactorDetectPeerCloseWithoutReadTest extends DetectPeerCloseWithoutReadTest {
    private static Transport transport() {
        return ProactorSocketTestPermutation.INSTANCE.singleDriver();
    }

    @Override
    protected EventLoopGroup newGroup() {
        return new MultiThreadIoEventLoopGroup(2, transport().ioHandlerFactory());
    }

    @Override
    protected Class<? extends ServerChannel> serverChannel() {
        return transport().serverSocketChannel();
    }

    @Override
    protected Class<? extends Channel> clientChannel() {
        return transport().socketChannel();
    }
}
