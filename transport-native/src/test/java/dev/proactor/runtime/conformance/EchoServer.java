package dev.proactor.runtime.conformance;

import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.net.Socket;

import java.util.ArrayList;
import java.util.List;

/**
 * An echo server driven by completions on a {@link DriverLoop}: accept, then per connection recv → send
 * everything received (looping over partial sends) → recv ..., until EOF, then a CLOSE op. Errors other than
 * cancellation are collected for the test to assert on.
 */
public final class EchoServer {
    private final DriverLoop loop;
    private final Socket listener;
    private final int bufferSize;
    private final Op accept = new Op();
    private final List<String> errors = new ArrayList<>();
    private boolean stopping;
    private int accepted;
    private int closed;
    private long bytesEchoed;

    public EchoServer(DriverLoop loop, Socket listener, int bufferSize) {
        this.loop = loop;
        this.listener = listener;
        this.bufferSize = bufferSize;
    }

    public EchoServer start() {
        acceptNext();
        return this;
    }

    private void acceptNext() {
        loop.submit(accept.prepareAccept(listener.fd(), 0, 0, 0).attach((Reaction) this::onAccept));
    }

    private void onAccept(Op op, int result, int flags) {
        if (result < 0) {
            if (result != -Errno.ECANCELED) {
                errors.add("accept: " + Errno.name(result));
            }
            return;
        }
        accepted++;
        new Connection(result).receive();
        if (!stopping) {
            acceptNext();
        }
    }

    /** Stops accepting (cancels the pending accept). */
    public void stop() {
        stopping = true;
        loop.driver().cancel(accept);
    }

    public int accepted() {
        return accepted;
    }

    public int closed() {
        return closed;
    }

    public long bytesEchoed() {
        return bytesEchoed;
    }

    public List<String> errors() {
        return errors;
    }

    private final class Connection {
        private final int fd;
        private final NativeBuffer buffer = NativeBuffer.allocate(bufferSize);
        private final Op op = new Op();
        private int pending;
        private int sent;

        Connection(int fd) {
            this.fd = fd;
        }

        void receive() {
            loop.submit(op.prepareRecv(fd, buffer.address(), bufferSize, 0).attach((Reaction) this::onReceived));
        }

        private void onReceived(Op o, int result, int flags) {
            if (result <= 0) {
                if (result < 0 && result != -Errno.ECONNRESET) {
                    errors.add("recv: " + Errno.name(result));
                }
                loop.submit(op.prepareClose(fd).attach((Reaction) this::onClosed));
                return;
            }
            pending = result;
            sent = 0;
            sendRest();
        }

        private void sendRest() {
            loop.submit(op.prepareSend(fd, buffer.address() + sent, pending - sent, 0).attach((Reaction) this::onSent));
        }

        private void onSent(Op o, int result, int flags) {
            if (result <= 0) {
                errors.add("send: " + (result < 0 ? Errno.name(result) : "0 bytes"));
                loop.submit(op.prepareClose(fd).attach((Reaction) this::onClosed));
                return;
            }
            sent += result;
            bytesEchoed += result;
            if (sent < pending) {
                sendRest();
            } else {
                receive();
            }
        }

        private void onClosed(Op o, int result, int flags) {
            closed++;
            if (result != 0) {
                errors.add("close: " + Errno.name(result));
            }
        }
    }
}
