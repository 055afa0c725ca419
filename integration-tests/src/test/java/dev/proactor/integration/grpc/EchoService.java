package dev.proactor.integration.grpc;

import io.grpc.Context;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The server side of {@link StringMethods}; it counts the calls it saw cancelled. */
final class EchoService implements AutoCloseable {
    final CountDownLatch sleepCancelled = new CountDownLatch(1);
    final CountDownLatch ticksCancelled = new CountDownLatch(1);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    ServerServiceDefinition definition() {
        return ServerServiceDefinition.builder(StringMethods.SERVICE)
                .addMethod(StringMethods.ECHO, ServerCalls.asyncUnaryCall((request, response) -> {
                    response.onNext("echo:" + request);
                    response.onCompleted();
                }))
                .addMethod(StringMethods.COUNT, ServerCalls.asyncServerStreamingCall((request, response) -> {
                    int n = Integer.parseInt(request);
                    for (int i = 0; i < n; i++) {
                        response.onNext(String.valueOf(i));
                    }
                    response.onCompleted();
                }))
                .addMethod(StringMethods.SHOUT, ServerCalls.asyncBidiStreamingCall(response -> new StreamObserver<String>() {
                    @Override
                    public void onNext(String value) {
                        response.onNext(value.toUpperCase(Locale.ROOT));
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        response.onCompleted();
                    }
                }))
                .addMethod(StringMethods.SLEEP, ServerCalls.asyncUnaryCall((request, response) -> {
                    Context.current().addListener(context -> sleepCancelled.countDown(), Runnable::run);
                    timer.schedule(() -> {
                        if (!Context.current().isCancelled()) {
                            response.onNext("slept");
                            response.onCompleted();
                        }
                    }, Long.parseLong(request), TimeUnit.MILLISECONDS);
                }))
                .addMethod(StringMethods.TICKS, ServerCalls.asyncServerStreamingCall((request, response) -> {
                    ServerCallStreamObserver<String> call = (ServerCallStreamObserver<String>) response;
                    int[] n = {0};
                    ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
                    call.setOnCancelHandler(() -> {
                        task[0].cancel(false);
                        ticksCancelled.countDown();
                    });
                    task[0] = timer.scheduleAtFixedRate(() -> {
                        synchronized (call) {
                            if (!call.isCancelled()) {
                                call.onNext("tick " + n[0]++);
                            }
                        }
                    }, 0, 10, TimeUnit.MILLISECONDS);
                }))
                .build();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
