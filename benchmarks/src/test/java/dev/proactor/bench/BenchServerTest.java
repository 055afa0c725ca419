package dev.proactor.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Functional only: the benchmark servers answer correctly on NIO. Nothing here is timed. */
class BenchServerTest {

    private static final String REQUEST = "GET /plaintext HTTP/1.1\r\nHost: localhost\r\n\r\n";

    @Test
    void httpServerAnswersPipelinedRequestsInOrderWithTechEmpowerHeaders() throws Exception {
        try (BenchServer server = BenchServer.start("nio", "http", "127.0.0.1", 0, 1);
             Socket socket = connect(server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write((REQUEST + REQUEST).getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 2; i++) {
                String head = readHead(in);
                assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
                assertTrue(head.contains("\r\ncontent-type: text/plain\r\n"), head);
                assertTrue(head.contains("\r\nserver: Netty\r\n"), head);
                assertTrue(head.contains("\r\ndate: "), head);
                assertTrue(head.contains("\r\ncontent-length: 13\r\n"), head);
                assertEquals("Hello, World!", new String(in.readNBytes(13), StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void echoServerReturnsTheSameBytes() throws Exception {
        try (BenchServer server = BenchServer.start("nio", "echo", "127.0.0.1", 0, 1);
             Socket socket = connect(server.port())) {
            byte[] message = new byte[64];
            for (int i = 0; i < message.length; i++) {
                message[i] = (byte) (i * 7);
            }
            socket.getOutputStream().write(message);
            assertArrayEquals(message, socket.getInputStream().readNBytes(message.length));
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(10_000);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        return socket;
    }

    /** Reads up to and including the blank line that ends the header block. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside the response head: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }
}
