package dev.proactor.netty;

import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.linux.LibC;
import io.netty.channel.unix.FileDescriptor;

import java.io.IOException;

/**
 * A descriptor received over a Unix domain socket (SCM_RIGHTS), as the {@link FileDescriptor} Netty's epoll
 * transport hands to channelRead. {@link #close()} works without Netty's native library; the inherited
 * read/write methods need that library and are not for use here (read the descriptor through the runtime,
 * or wrap {@link #intValue()}).
 */
public final class NativeFileDescriptor extends FileDescriptor {
    private volatile boolean open = true;

    public NativeFileDescriptor(int fd) {
        super(fd);
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        if (LibC.close(intValue()) != 0) {
            throw ErrnoException.of("close(" + intValue() + ")", LibC.errno());
        }
    }
}
