package dev.proactor.integration.grpc;

import dev.proactor.runtime.DriverKind;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.ListenableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gRPC-java (grpc-netty, HTTP/2 over Netty) with server and client on Proactor: unary, server-streaming and
 * bidi-streaming calls, deadlines, cancellation and 1,000 concurrent calls, on each driver.
 */
class GrpcTest {

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void unaryAndServerStreaming(DriverKind kind) throws Exception {
        try (EchoService service = new EchoService();
             GrpcOnProactor grpc = new GrpcOnProactor(kind, service.definition())) {
            assertEquals("echo:hello", ClientCalls.blockingUnaryCall(grpc.channel, StringMethods.ECHO, CallOptions.DEFAULT, "hello"));
            String big = "x".repeat(1 << 20);
            assertEquals("echo:" + big, ClientCalls.blockingUnaryCall(grpc.channel, StringMethods.ECHO, CallOptions.DEFAULT, big));

            Iterator<String> counted = ClientCalls.blockingServerStreamingCall(grpc.channel, StringMethods.COUNT, CallOptions.DEFAULT, "5000");
            for (int i = 0; i < 5000; i++) {
                assertTrue(counted.hasNext(), "stream ended after " + i);
                assertEquals(String.valueOf(i), counted.next());
            }
            assertFalse(counted.hasNext());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void bidiStreaming(DriverKind kind) throws Exception {
        try (EchoService service = new EchoService();
             GrpcOnProactor grpc = new GrpcOnProactor(kind, service.definition())) {
            BlockingQueue<String> answers = new LinkedBlockingQueue<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(
                    grpc.channel.newCall(StringMethods.SHOUT, CallOptions.DEFAULT), new StreamObserver<>() {
                        @Override
                        public void onNext(String value) {
                            answers.add(value);
                        }

                        @Override
                        public void onError(Throwable t) {
                            done.completeExceptionally(t);
                        }

                        @Override
                        public void onCompleted() {
                            done.complete(null);
                        }
                    });
            // ping-pong first (each answer before the next request), then a burst
            for (int i = 0; i < 50; i++) {
                requests.onNext("ping " + i);
                assertEquals("PING " + i, answers.poll(10, TimeUnit.SECONDS));
            }
            for (int i = 0; i < 2000; i++) {
                requests.onNext("burst " + i);
            }
            requests.onCompleted();
            done.get(20, TimeUnit.SECONDS);
            for (int i = 0; i < 2000; i++) {
                assertEquals("BURST " + i, answers.poll());
            }
            assertTrue(answers.isEmpty());
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void deadlineExceeded(DriverKind kind) throws Exception {
        try (EchoService service = new EchoService();
             GrpcOnProactor grpc = new GrpcOnProactor(kind, service.definition())) {
            assertEquals("slept", ClientCalls.blockingUnaryCall(grpc.channel, StringMethods.SLEEP,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "10"));
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                    grpc.channel, StringMethods.SLEEP, CallOptions.DEFAULT.withDeadlineAfter(200, TimeUnit.MILLISECONDS), "30000"));
            assertEquals(Status.Code.DEADLINE_EXCEEDED, e.getStatus().getCode());
            assertTrue(service.sleepCancelled.await(10, TimeUnit.SECONDS), "the server must see the deadline (RST_STREAM)");
            // the connection is still good
            assertEquals("echo:after", ClientCalls.blockingUnaryCall(grpc.channel, StringMethods.ECHO, CallOptions.DEFAULT, "after"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void clientCancellationReachesTheServer(DriverKind kind) throws Exception {
        try (EchoService service = new EchoService();
             GrpcOnProactor grpc = new GrpcOnProactor(kind, service.definition())) {
            ClientCall<String, String> call = grpc.channel.newCall(StringMethods.TICKS, CallOptions.DEFAULT);
            BlockingQueue<String> ticks = new LinkedBlockingQueue<>();
            CompletableFuture<Throwable> failure = new CompletableFuture<>();
            ClientCalls.asyncServerStreamingCall(call, "go", new StreamObserver<>() {
                @Override
                public void onNext(String value) {
                    ticks.add(value);
                }

                @Override
                public void onError(Throwable t) {
                    failure.complete(t);
                }

                @Override
                public void onCompleted() {
                    failure.complete(null);
                }
            });
            for (int i = 0; i < 3; i++) {
                assertEquals("tick " + i, ticks.poll(10, TimeUnit.SECONDS));
            }
            call.cancel("enough", null);
            Throwable t = failure.get(10, TimeUnit.SECONDS);
            assertNotNull(t, "a cancelled call ends with an error");
            assertEquals(Status.Code.CANCELLED, Status.fromThrowable(t).getCode());
            assertTrue(service.ticksCancelled.await(10, TimeUnit.SECONDS), "the server must see the cancellation");
            assertEquals("echo:still here", ClientCalls.blockingUnaryCall(grpc.channel, StringMethods.ECHO, CallOptions.DEFAULT, "still here"));
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void thousandConcurrentCalls(DriverKind kind) throws Exception {
        int n = 1000;
        try (EchoService service = new EchoService();
             GrpcOnProactor grpc = new GrpcOnProactor(kind, service.definition())) {
            List<ListenableFuture<String>> calls = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                // every tenth call carries 64 KiB, so flow control works while the others are in flight
                String request = i % 10 == 0 ? i + ":" + "p".repeat(64 << 10) : String.valueOf(i);
                calls.add(ClientCalls.futureUnaryCall(grpc.channel.newCall(StringMethods.ECHO, CallOptions.DEFAULT), request));
            }
            for (int i = 0; i < n; i++) {
                String expected = "echo:" + (i % 10 == 0 ? i + ":" + "p".repeat(64 << 10) : String.valueOf(i));
                assertEquals(expected, calls.get(i).get(30, TimeUnit.SECONDS), "call " + i);
            }
        }
    }
}
