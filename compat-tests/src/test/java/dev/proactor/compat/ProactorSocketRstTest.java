package dev.proactor.compat;

import dev.proactor.netty.ProactorSocketChannel;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeError;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.testsuite.transport.TestsuitePermutation;
import io.netty.testsuite.transport.socket.SocketRstTest;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

public class ProactorSocketRstTest extends SocketRstTest {
    @Override
    protected List<TestsuitePermutation.BootstrapComboFactory<ServerBootstrap, Bootstrap>> newFactories() {
        return ProactorSocketTestPermutation.INSTANCE.socket();
    }

    // Stricter than the base check, which only reads the JDK's message text and only in US/UK locales:
    // Proactor errors carry their errno (a NativeError), so a reset must say ECONNRESET in any locale.
    @Override
    protected void assertRstOnCloseException(IOException cause, Channel clientChannel) {
        if (!(clientChannel instanceof ProactorSocketChannel)) {
            super.assertRstOnCloseException(cause, clientChannel);
            return;
        }
        NativeError error = assertInstanceOf(NativeError.class, cause,
                () -> "expected an errno-carrying exception, got " + cause);
        assertEquals(Errno.ECONNRESET, error.code(), () -> "expected ECONNRESET, got " + cause);
    }
}
