package dev.proactor.compat;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * A local address where connection attempts neither succeed nor fail: a listener that never accepts, with its
 * accept queue filled, so Linux drops every further SYN and the connecting side keeps retransmitting. Stands in
 * for the testsuite's unroutable "bad host" on hosts whose network answers every outbound connection (as this
 * build machine's does).
 */
final class ConnectBlackhole implements Closeable {
    private static final int MAX_FILLERS = 16;
    private final ServerSocket listener;
    private final List<Socket> fillers = new ArrayList<>();

    ConnectBlackhole(InetSocketAddress address) throws IOException {
        listener = new ServerSocket();
        try {
            listener.bind(address, 1);
            while (fill(address)) {
                if (fillers.size() == MAX_FILLERS) {
                    throw new IOException("accept queue of " + address + " never filled up");
                }
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** Connects one more socket; false once connecting times out, i.e. the queue is full. */
    private boolean fill(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, 500);
            fillers.add(s);
            return true;
        } catch (SocketTimeoutException e) {
            s.close();
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        for (Socket s : fillers) {
            s.close();
        }
        listener.close();
    }
}
