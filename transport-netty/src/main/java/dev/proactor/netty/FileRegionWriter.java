package dev.proactor.netty;

import dev.proactor.runtime.Errno;
import dev.proactor.runtime.ErrnoException;
import dev.proactor.runtime.FileHandles;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.linux.LibC;
import dev.proactor.runtime.linux.LinuxConstants;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Sends the {@link FileRegion} at the head of a stream channel's outbound buffer.
 *
 * <p>A {@link DefaultFileRegion} goes without a copy through user space. Linux: SPLICE file → pipe, then SPLICE
 * pipe → socket, through one non-blocking pipe per channel (created on first use, grown to 1 MiB where allowed). A
 * splice into a full socket that completes with -EAGAIN (io_uring runs splices without arming a poll) waits for
 * a POLL op, then is repeated. Windows (IOCP): SPLICE file → socket, which the driver makes a TransmitFile, in
 * pieces of at most {@value #TRANSMIT_CHUNK} bytes (TransmitFile takes at most 2^31 - 2). Any other FileRegion is sent through its {@link FileRegion#transferTo} into a
 * direct buffer and SEND ops. Regions of any count (over 2 GiB too) go in pieces; a file shorter than the
 * region fails the write with an IOException, as epoll does. The region stays in the outbound buffer (so stays
 * referenced, its file open) until its last op has completed.
 */
final class FileRegionWriter {
    private static final InternalLogger logger = InternalLoggerFactory.getInstance(FileRegionWriter.class);
    private static final int PIPE_SIZE = 1 << 20;
    private static final int COPY_CHUNK = 256 << 10;
    private static final int SPLICE_FLAGS = LinuxConstants.SPLICE_F_MOVE | LinuxConstants.SPLICE_F_NONBLOCK;
    /** Bytes per TransmitFile: large enough to be few calls, small enough for regular progress events. */
    static final int TRANSMIT_CHUNK = 64 << 20;
    /** Splice needs a pipe on Linux; the IOCP driver's SPLICE goes from the file straight to the socket. */
    private static final boolean THROUGH_PIPE = LibC.AVAILABLE;

    private final AbstractProactorStreamChannel channel;
    final Op toPipe = new Op();
    final Op toSocket = new Op();
    final Op waitWritable = new Op();
    final Op copySend = new Op();
    private final ProactorIoOps toPipeOps = new ProactorIoOps(toPipe);
    private final ProactorIoOps toSocketOps = new ProactorIoOps(toSocket);
    private final ProactorIoOps waitWritableOps = new ProactorIoOps(waitWritable);
    private final ProactorIoOps copySendOps = new ProactorIoOps(copySend);
    private final Op[] closeOps = {new Op(), new Op()};

    private int pipeRead = -1;
    private int pipeWrite = -1;
    private int pipeCapacity;

    // the region being sent
    private FileRegion region;
    private int fileFd = -1;
    private long filePosition;
    private long fileRemaining;
    private int pipeBytes;
    private ByteBuf copyBuffer;
    private final CopyTarget copyTarget = new CopyTarget();

    // counters (event loop only; read by tests)
    long splicedBytes;
    long spliceOps;
    long copiedBytes;

    FileRegionWriter(AbstractProactorStreamChannel channel) {
        this.channel = channel;
    }

    boolean owns(Op op) {
        return op == toPipe || op == toSocket || op == waitWritable || op == copySend || op == closeOps[0] || op == closeOps[1];
    }

    boolean isInFlight() {
        return toPipe.isInFlight() || toSocket.isInFlight() || waitWritable.isInFlight() || copySend.isInFlight();
    }

    void cancel() {
        channel.cancel(toPipeOps);
        channel.cancel(toSocketOps);
        channel.cancel(waitWritableOps);
        channel.cancel(copySendOps);
    }

    /**
     * Starts (or goes on with) the region at the head of the outbound buffer.
     *
     * @return true if an op was submitted, false if the region turned out complete and was removed
     */
    boolean write(ChannelOutboundBuffer in, FileRegion msg) throws IOException {
        if (region != msg) {
            begin(msg);
        }
        return fileFd >= 0 ? spliceStep(in) : copyStep(in);
    }

    private void begin(FileRegion msg) throws IOException {
        finishRegion();
        region = msg;
        int fd = msg instanceof DefaultFileRegion ? FileRegions.openForSplice((DefaultFileRegion) msg) : -1;
        if (fd >= 0) {
            if (THROUGH_PIPE) {
                ensurePipe();
            }
            fileFd = fd;
            filePosition = msg.position() + msg.transferred();
            fileRemaining = msg.count() - msg.transferred();
            pipeBytes = 0;
        }
    }

    private void ensurePipe() throws IOException {
        if (pipeRead >= 0) {
            return;
        }
        NativeBuffer fds = NativeBuffer.allocate(8);
        if (LibC.pipe2(fds.address(), LinuxConstants.O_NONBLOCK | LinuxConstants.O_CLOEXEC) != 0) {
            throw ErrnoException.of("pipe2", LibC.errno());
        }
        pipeRead = fds.buffer().getInt(0);
        pipeWrite = fds.buffer().getInt(4);
        // A larger pipe moves more per splice; the default (64 KiB) stays if the limit is lower.
        LibC.fcntl(pipeWrite, LinuxConstants.F_SETPIPE_SZ, PIPE_SIZE);
        int size = LibC.fcntl(pipeWrite, LinuxConstants.F_GETPIPE_SZ, 0);
        pipeCapacity = size > 0 ? size : 64 << 10;
    }

    // ---- splice path ----

    private boolean spliceStep(ChannelOutboundBuffer in) throws IOException {
        if (!THROUGH_PIPE) {
            return transmitStep(in);
        }
        if (pipeBytes > 0) {
            submit(toSocket.prepareSplice(pipeRead, Op.NO_OFFSET, channel.socket.fd(), Op.NO_OFFSET, pipeBytes,
                    SPLICE_FLAGS | (fileRemaining > 0 ? LinuxConstants.SPLICE_F_MORE : 0)), toSocketOps);
        } else if (fileRemaining > 0) {
            int len = (int) Math.min(fileRemaining, pipeCapacity);
            submit(toPipe.prepareSplice(fileFd, filePosition, pipeWrite, Op.NO_OFFSET, len, SPLICE_FLAGS), toPipeOps);
        } else {
            done(in);
            return false;
        }
        return true;
    }

    private boolean transmitStep(ChannelOutboundBuffer in) throws IOException {
        if (fileRemaining <= 0) {
            done(in);
            return false;
        }
        int len = (int) Math.min(fileRemaining, TRANSMIT_CHUNK);
        submit(toSocket.prepareSplice(fileFd, filePosition, channel.socket.fd(), Op.NO_OFFSET, len, 0), toSocketOps);
        return true;
    }

    private void submit(Op op, ProactorIoOps ops) throws IOException {
        if (!channel.submit(ops)) {
            throw new IOException("channel is not registered");
        }
    }

    /** The completion of one of this writer's ops: submits the next step, or removes the finished region. */
    void complete(Op op, int res, ChannelOutboundBuffer in) throws IOException {
        if (op == closeOps[0] || op == closeOps[1]) {
            return;
        }
        if (in == null || region == null || in.current() != region) {
            return; // closed meanwhile: the outbound buffer was failed
        }
        if (res == -Errno.ECANCELED) {
            return;
        }
        if (op == toPipe) {
            if (res < 0) {
                throw ErrnoException.of("splice(file -> pipe)", res);
            }
            if (res == 0) {
                throw FileRegions.fileTooShort(region, filePosition - region.position());
            }
            spliceOps++;
            pipeBytes = res;
            filePosition += res;
            fileRemaining -= res;
        } else if (op == toSocket && !THROUGH_PIPE) {
            if (res < 0) {
                throw ErrnoException.of("TransmitFile(file -> socket)", res);
            }
            if (res == 0) {
                throw FileRegions.fileTooShort(region, filePosition - region.position());
            }
            spliceOps++;
            splicedBytes += res;
            filePosition += res;
            fileRemaining -= res;
            in.progress(res);
        } else if (op == toSocket) {
            if (res == -Errno.EAGAIN || res == 0) {
                submit(waitWritable.preparePoll(channel.socket.fd(), LinuxConstants.POLLOUT), waitWritableOps);
                return;
            }
            if (res < 0) {
                throw ErrnoException.of("splice(pipe -> socket)", res);
            }
            spliceOps++;
            splicedBytes += res;
            pipeBytes -= res;
            in.progress(res);
        } else if (op == waitWritable) {
            if (res < 0) {
                throw ErrnoException.of("poll(POLLOUT)", res);
            }
        } else if (op == copySend) {
            if (res < 0) {
                throw ErrnoException.of("send", res);
            }
            copiedBytes += res;
            copyBuffer.skipBytes(res);
            in.progress(res);
            copyStep(in);
            return;
        }
        spliceStep(in);
    }

    private void done(ChannelOutboundBuffer in) {
        finishRegion();
        in.remove();
    }

    /** Forgets the region: closes its file descriptor and frees the copy buffer (no op of it is in flight). */
    void finishRegion() {
        region = null;
        if (fileFd >= 0) {
            FileHandles.close(fileFd); // a regular file: never in the poll driver's epoll set
            fileFd = -1;
        }
        pipeBytes = 0;
        ByteBuf b = copyBuffer;
        copyBuffer = null;
        if (b != null) {
            b.release();
        }
    }

    /** The region failed: what is left in the pipe belongs to it, so the pipe goes too. */
    void failed() {
        finishRegion();
        closePipe();
    }

    // ---- copy path ----

    private boolean copyStep(ChannelOutboundBuffer in) throws IOException {
        FileRegion r = region;
        if (copyBuffer == null) {
            copyBuffer = channel.config().getAllocator().directBuffer((int) Math.min(COPY_CHUNK, Math.max(1, r.count())));
        }
        ByteBuf b = copyBuffer;
        if (!b.isReadable()) {
            b.clear();
            if (r.transferred() >= r.count()) {
                done(in);
                return false;
            }
            copyTarget.buffer = b;
            long n = r.transferTo(copyTarget, r.transferred());
            copyTarget.buffer = null;
            if (n <= 0 && !b.isReadable()) {
                throw new IOException("FileRegion.transferTo wrote nothing at " + r.transferred() + " of " + r.count()
                        + " bytes: " + r);
            }
        }
        copySend.prepareSend(channel.socket.fd(), DirectBuffers.address(b, b.readerIndex()), b.readableBytes(),
                LinuxConstants.MSG_NOSIGNAL);
        submit(copySend, copySendOps);
        return true;
    }

    /** transferTo's target: appends to the copy buffer as much as fits. */
    private static final class CopyTarget implements WritableByteChannel {
        ByteBuf buffer;

        @Override
        public int write(ByteBuffer src) {
            int n = Math.min(src.remaining(), buffer.writableBytes());
            ByteBuffer part = src.duplicate();
            part.limit(part.position() + n);
            buffer.writeBytes(part);
            src.position(src.position() + n);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    // ---- teardown ----

    /** Closes the pipe with CLOSE ops (the poll driver may have it in its epoll set). No op may use it any more. */
    void closePipe() {
        int r = pipeRead;
        int w = pipeWrite;
        pipeRead = -1;
        pipeWrite = -1;
        closeFd(r, 0);
        closeFd(w, 1);
    }

    private void closeFd(int fd, int i) {
        if (fd < 0) {
            return;
        }
        Op op = closeOps[i];
        if (op.isInFlight() || !channel.submit(new ProactorIoOps(op.prepareClose(fd)))) {
            if (LibC.close(fd) != 0) {
                logger.debug("close({}) failed: {}", fd, Errno.name(LibC.errno()));
            }
        }
    }
}
