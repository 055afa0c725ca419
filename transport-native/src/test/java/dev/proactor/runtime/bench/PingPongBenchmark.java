package dev.proactor.runtime.bench;

import dev.proactor.runtime.CompletionHandler;
import dev.proactor.runtime.Driver;
import dev.proactor.runtime.DriverConfig;
import dev.proactor.runtime.DriverKind;
import dev.proactor.runtime.Drivers;
import dev.proactor.runtime.Errno;
import dev.proactor.runtime.NativeBuffer;
import dev.proactor.runtime.Op;
import dev.proactor.runtime.net.Socket;
import dev.proactor.runtime.net.SocketOptions;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * TCP ping-pong over loopback, per available driver: a server driver on one thread echoes, a client driver on
 * another keeps N connections each sending a 64-byte message and waiting for its echo. Prints round trips per
 * second, one line per driver.
 *
 * <p>Usage: {@code PingPongBenchmark [seconds=5] [connections=16] [warmupSeconds=1]}
 */
public final class PingPongBenchmark {
    private static final int MESSAGE = 64;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int connections = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        System.out.println(Drivers.describe());
        for (DriverKind kind : DriverKind.values()) {
            if (!Drivers.isAvailable(kind)) {
                continue;
            }
            long trips = run(kind, connections, warmup, seconds);
            System.out.printf("driver=%-8s connections=%d message=%dB duration=%ds round-trips/s=%,d%n",
                    kind, connections, MESSAGE, seconds, trips / seconds);
        }
    }

    private static long run(DriverKind kind, int connections, int warmupSeconds, int seconds) throws Exception {
        Socket listener = Socket.tcp(false);
        listener.setOption(SocketOptions.SO_REUSEADDR, true);
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listener.listen(connections + 16);
        InetSocketAddress address = (InetSocketAddress) listener.localAddress();
        Server server = new Server(kind, listener);
        Thread serverThread = new Thread(server, "pingpong-server-" + kind);
        serverThread.start();
        server.ready.await();
        Client client = new Client(kind, address, connections, warmupSeconds, seconds);
        Thread clientThread = new Thread(client, "pingpong-client-" + kind);
        clientThread.start();
        clientThread.join();
        server.stop();
        serverThread.join(TimeUnit.SECONDS.toMillis(10));
        listener.close();
        rethrow(client.failure.get());
        rethrow(server.failure.get());
        return client.measured;
    }

    private static void rethrow(Throwable t) throws Exception {
        if (t instanceof Exception) {
            throw (Exception) t;
        }
        if (t != null) {
            throw new RuntimeException(t);
        }
    }

    /** Echo server: multishot accept, then recv 64 → send 64 per connection. */
    private static final class Server implements Runnable, CompletionHandler {
        final CountDownLatch ready = new CountDownLatch(1);
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final DriverKind kind;
        private final Socket listener;
        private volatile boolean stopping;
        private volatile Driver driver;

        Server(DriverKind kind, Socket listener) {
            this.kind = kind;
            this.listener = listener;
        }

        void stop() {
            stopping = true;
            Driver d = driver;
            if (d != null) {
                d.wake();
            }
        }

        @Override
        public void run() {
            try (Driver d = Drivers.open(DriverConfig.defaults().withKind(kind))) {
                driver = d;
                Op accept = new Op().prepareAccept(listener.fd(), 0, 0, Op.ACCEPT_MULTISHOT);
                d.submit(accept);
                ready.countDown();
                while (!stopping) {
                    d.poll(-1, this);
                }
            } catch (Throwable t) {
                failure.set(t);
                ready.countDown();
            }
        }

        @Override
        public void complete(Op op, int result, int flags) {
            Object a = op.attachment();
            if (a == null) { // the accept
                if (result >= 0) {
                    new Echo(driver, result).receive();
                }
                return;
            }
            ((Echo) a).onComplete(op, result);
        }
    }

    private static final class Echo {
        private final Driver driver;
        private final int fd;
        private final NativeBuffer buffer = NativeBuffer.allocate(MESSAGE);
        private final Op op = new Op(this);
        private boolean sending;
        private boolean closing;
        private int done;

        Echo(Driver driver, int fd) {
            this.driver = driver;
            this.fd = fd;
        }

        void receive() {
            sending = false;
            driver.submit(op.prepareRecv(fd, buffer.address() + done, MESSAGE - done, 0));
        }

        void onComplete(Op o, int result) {
            if (closing) {
                return;
            }
            if (result <= 0) {
                closing = true;
                driver.submit(op.prepareClose(fd));
                return;
            }
            done += result;
            if (done < MESSAGE) {
                if (sending) {
                    driver.submit(op.prepareSend(fd, buffer.address() + done, MESSAGE - done, 0));
                } else {
                    receive();
                }
                return;
            }
            done = 0;
            if (sending) {
                receive();
            } else {
                sending = true;
                driver.submit(op.prepareSend(fd, buffer.address(), MESSAGE, 0));
            }
        }
    }

    /** N connections, each: send 64, receive 64, repeat; counts round trips after the warm-up. */
    private static final class Client implements Runnable, CompletionHandler {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final DriverKind kind;
        private final InetSocketAddress address;
        private final int connections;
        private final int warmupSeconds;
        private final int seconds;
        private Driver driver;
        private boolean counting;
        private boolean finished;
        private long trips;
        long measured;

        Client(DriverKind kind, InetSocketAddress address, int connections, int warmupSeconds, int seconds) {
            this.kind = kind;
            this.address = address;
            this.connections = connections;
            this.warmupSeconds = warmupSeconds;
            this.seconds = seconds;
        }

        @Override
        public void run() {
            try (Driver d = Drivers.open(DriverConfig.defaults().withKind(kind))) {
                driver = d;
                Pinger[] pingers = new Pinger[connections];
                for (int i = 0; i < connections; i++) {
                    pingers[i] = new Pinger(this, Socket.tcp(false));
                    pingers[i].socket.setOption(SocketOptions.TCP_NODELAY, true);
                    pingers[i].connect(address);
                }
                long start = System.nanoTime();
                long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
                long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
                long now;
                while ((now = System.nanoTime()) < end) {
                    if (!counting && now >= measureFrom) {
                        counting = true;
                        trips = 0;
                    }
                    d.poll(TimeUnit.MILLISECONDS.toNanos(10), this);
                }
                measured = trips;
                finished = true;
                for (Pinger p : pingers) {
                    d.cancel(p.op);
                }
                while (d.inFlight() > 0) {
                    d.poll(TimeUnit.MILLISECONDS.toNanos(10), this);
                }
                for (Pinger p : pingers) {
                    p.socket.close();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }

        @Override
        public void complete(Op op, int result, int flags) {
            ((Pinger) op.attachment()).onComplete(result);
        }
    }

    private static final class Pinger {
        private final Client client;
        private final Socket socket;
        private final NativeBuffer out = NativeBuffer.allocate(MESSAGE);
        private final NativeBuffer in = NativeBuffer.allocate(MESSAGE);
        private final NativeBuffer sockaddr = NativeBuffer.allocate(128);
        private final Op op = new Op(this);
        private int state; // 0 connecting, 1 sending, 2 receiving
        private int done;

        Pinger(Client client, Socket socket) {
            this.client = client;
            this.socket = socket;
        }

        void connect(InetSocketAddress to) {
            int len = socket.encode(to, sockaddr.buffer(), 0);
            client.driver.submit(op.prepareConnect(socket.fd(), sockaddr.address(), len));
        }

        void onComplete(int result) {
            if (client.finished) {
                return;
            }
            if (result < 0) {
                throw new IllegalStateException("ping-pong op failed in state " + state + ": " + Errno.name(result));
            }
            if (state == 0) {
                state = 1;
                done = 0;
                client.driver.submit(op.prepareSend(socket.fd(), out.address(), MESSAGE, 0));
                return;
            }
            if (result == 0) {
                throw new IllegalStateException("unexpected EOF");
            }
            done += result;
            if (state == 1) {
                if (done < MESSAGE) {
                    client.driver.submit(op.prepareSend(socket.fd(), out.address() + done, MESSAGE - done, 0));
                } else {
                    state = 2;
                    done = 0;
                    client.driver.submit(op.prepareRecv(socket.fd(), in.address(), MESSAGE, 0));
                }
            } else if (done < MESSAGE) {
                client.driver.submit(op.prepareRecv(socket.fd(), in.address() + done, MESSAGE - done, 0));
            } else {
                client.trips++;
                state = 1;
                done = 0;
                client.driver.submit(op.prepareSend(socket.fd(), out.address(), MESSAGE, 0));
            }
        }
    }

    private PingPongBenchmark() {
    }
}
