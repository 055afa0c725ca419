package dev.proactor.integration.grpc;

import io.grpc.MethodDescriptor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The test service's methods, described without protoc: requests and responses are UTF-8 strings. */
final class StringMethods {
    static final String SERVICE = "proactor.it.Echo";

    static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** "x" -> "echo:x". */
    static final MethodDescriptor<String, String> ECHO = method("Echo", MethodDescriptor.MethodType.UNARY);
    /** "n" -> "0", "1", ... "n-1". */
    static final MethodDescriptor<String, String> COUNT = method("Count", MethodDescriptor.MethodType.SERVER_STREAMING);
    /** Each message is answered with its upper-case form; the end of the requests ends the responses. */
    static final MethodDescriptor<String, String> SHOUT = method("Shout", MethodDescriptor.MethodType.BIDI_STREAMING);
    /** "millis" -> "slept" after that many milliseconds (unless cancelled first). */
    static final MethodDescriptor<String, String> SLEEP = method("Sleep", MethodDescriptor.MethodType.UNARY);
    /** Streams "tick i" every 10 ms until the call is cancelled. */
    static final MethodDescriptor<String, String> TICKS = method("Ticks", MethodDescriptor.MethodType.SERVER_STREAMING);

    private StringMethods() {
    }

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(UTF8)
                .setResponseMarshaller(UTF8)
                .build();
    }
}
