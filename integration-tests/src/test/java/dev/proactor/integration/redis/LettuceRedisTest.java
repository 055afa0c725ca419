package dev.proactor.integration.redis;

import dev.proactor.integration.support.LocalImages;
import dev.proactor.netty.ProactorChannelOption;
import dev.proactor.runtime.DriverKind;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelOption;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Lettuce (Redis client on Netty) running its I/O on Proactor, against a real redis-server in a container built
 * from the local Debian image: commands, pipelining, pub/sub and transactions, on each driver.
 */
@Testcontainers(disabledWithoutDocker = true)
class LettuceRedisTest {
    private static final int REDIS_PORT = 6379;

    @Container
    static final GenericContainer<?> REDIS = new GenericContainer<>(redisImage())
            .withExposedPorts(REDIS_PORT)
            .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1).withStartupTimeout(Duration.ofSeconds(60)));

    /** redis-server from Debian's package, in an image built FROM the local Debian image (kept for later runs). */
    private static ImageFromDockerfile redisImage() {
        return new ImageFromDockerfile("proactor-it/redis-server:bookworm", false)
                .withDockerfileFromBuilder(b -> b.from(LocalImages.DEBIAN)
                        .run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                                + "--no-install-recommends redis-server >/dev/null && rm -rf /var/lib/apt/lists/*")
                        .expose(REDIS_PORT)
                        .cmd("redis-server", "--protected-mode", "no", "--save", "", "--appendonly", "no")
                        .build());
    }

    private static LettuceOnProactor lettuce(DriverKind kind) {
        RedisURI uri = RedisURI.builder().withHost(REDIS.getHost()).withPort(REDIS.getMappedPort(REDIS_PORT))
                .withTimeout(Duration.ofSeconds(10)).build();
        return new LettuceOnProactor(kind, uri);
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void commands(DriverKind kind) {
        String p = "commands:" + kind + ":";
        try (LettuceOnProactor redis = lettuce(kind);
             StatefulRedisConnection<String, String> connection = redis.client.connect()) {
            RedisCommands<String, String> cmd = connection.sync();
            assertEquals("PONG", cmd.ping());
            assertEquals("OK", cmd.set(p + "greeting", "hello"));
            assertEquals("hello", cmd.get(p + "greeting"));
            assertNull(cmd.get(p + "missing"));
            assertEquals(1L, cmd.incr(p + "counter"));
            assertEquals(43L, cmd.incrby(p + "counter", 42));
            assertEquals(2L, cmd.hset(p + "hash", Map.of("a", "1", "b", "2")));
            assertEquals(Map.of("a", "1", "b", "2"), cmd.hgetall(p + "hash"));
            assertEquals(3L, cmd.rpush(p + "list", "x", "y", "z"));
            assertEquals(List.of("x", "y", "z"), cmd.lrange(p + "list", 0, -1));
            assertTrue(cmd.expire(p + "greeting", 100));
            long ttl = cmd.ttl(p + "greeting");
            assertTrue(ttl > 0 && ttl <= 100, "ttl " + ttl);
            assertEquals(4L, cmd.del(p + "greeting", p + "counter", p + "hash", p + "list"));
            redis.assertConnectionsOnProactor(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void keepAliveSettingsReachTheSocket(DriverKind kind) {
        try (LettuceOnProactor redis = lettuce(kind)) {
            redis.client.setOptions(ClientOptions.builder().socketOptions(SocketOptions.builder()
                    .keepAlive(SocketOptions.KeepAliveOptions.builder().enable()
                            .idle(Duration.ofSeconds(37)).interval(Duration.ofSeconds(7)).count(4).build())
                    .build()).build());
            try (StatefulRedisConnection<String, String> connection = redis.client.connect()) {
                assertEquals("PONG", connection.sync().ping());
                redis.assertConnectionsOnProactor(1);
                ChannelConfig config = redis.channels.get(0).config();
                assertEquals(true, config.getOption(ChannelOption.SO_KEEPALIVE));
                assertEquals(37, config.getOption(ProactorChannelOption.TCP_KEEPIDLE));
                assertEquals(7, config.getOption(ProactorChannelOption.TCP_KEEPINTVL));
                assertEquals(4, config.getOption(ProactorChannelOption.TCP_KEEPCNT));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void largeValuesCrossManyReadsAndWrites(DriverKind kind) {
        byte[] key = ("large:" + kind).getBytes();
        byte[] value = new byte[4 << 20];
        new Random(7).nextBytes(value);
        try (LettuceOnProactor redis = lettuce(kind);
             StatefulRedisConnection<byte[], byte[]> connection = redis.client.connect(ByteArrayCodec.INSTANCE)) {
            RedisCommands<byte[], byte[]> cmd = connection.sync();
            assertEquals("OK", cmd.set(key, value));
            assertArrayEquals(value, cmd.get(key));
            assertEquals(value.length, cmd.strlen(key));
            assertEquals(1L, cmd.del(key));
            redis.assertConnectionsOnProactor(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void pipelining(DriverKind kind) throws Exception {
        String p = "pipeline:" + kind + ":";
        int n = 2_000;
        try (LettuceOnProactor redis = lettuce(kind);
             StatefulRedisConnection<String, String> connection = redis.client.connect()) {
            RedisAsyncCommands<String, String> async = connection.async();
            connection.setAutoFlushCommands(false);
            List<RedisFuture<?>> sets = new ArrayList<>(n);
            List<RedisFuture<Long>> incrs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                sets.add(async.set(p + i, "v" + i));
                incrs.add(async.incr(p + "count"));
            }
            assertFalse(incrs.get(0).isDone(), "nothing may be sent before the flush");
            connection.flushCommands();
            for (int i = 0; i < n; i++) {
                assertEquals("OK", sets.get(i).get(10, TimeUnit.SECONDS));
                assertEquals(i + 1L, incrs.get(i).get(10, TimeUnit.SECONDS), "replies arrive in command order");
            }
            connection.setAutoFlushCommands(true);
            RedisCommands<String, String> cmd = connection.sync();
            assertEquals("v" + (n - 1), cmd.get(p + (n - 1)));
            assertEquals(String.valueOf(n), cmd.get(p + "count"));
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                keys.add(p + i);
            }
            keys.add(p + "count");
            assertEquals(n + 1L, cmd.del(keys.toArray(new String[0])));
            redis.assertConnectionsOnProactor(1);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void publishSubscribe(DriverKind kind) throws Exception {
        String channel = "news:" + kind;
        int n = 200;
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        BlockingQueue<String> receivedByPattern = new LinkedBlockingQueue<>();
        try (LettuceOnProactor redis = lettuce(kind);
             StatefulRedisPubSubConnection<String, String> subscriber = redis.client.connectPubSub();
             StatefulRedisConnection<String, String> publisher = redis.client.connect()) {
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String ch, String message) {
                    received.add(ch + "=" + message);
                }

                @Override
                public void message(String pattern, String ch, String message) {
                    receivedByPattern.add(pattern + "|" + ch + "=" + message);
                }
            });
            subscriber.sync().subscribe(channel);
            subscriber.sync().psubscribe("news:*");
            for (int i = 0; i < n; i++) {
                assertEquals(2L, publisher.sync().publish(channel, "m" + i), "one channel and one pattern subscription");
            }
            for (int i = 0; i < n; i++) {
                assertEquals(channel + "=m" + i, received.poll(10, TimeUnit.SECONDS));
                assertEquals("news:*|" + channel + "=m" + i, receivedByPattern.poll(10, TimeUnit.SECONDS));
            }
            subscriber.sync().unsubscribe(channel);
            subscriber.sync().punsubscribe("news:*");
            assertEquals(0L, publisher.sync().publish(channel, "nobody listens"));
            redis.assertConnectionsOnProactor(2);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.proactor.netty.TestDrivers#available")
    void transactions(DriverKind kind) {
        String p = "tx:" + kind + ":";
        try (LettuceOnProactor redis = lettuce(kind);
             StatefulRedisConnection<String, String> connection = redis.client.connect();
             StatefulRedisConnection<String, String> other = redis.client.connect()) {
            RedisCommands<String, String> cmd = connection.sync();
            assertEquals("OK", cmd.multi());
            assertNull(cmd.set(p + "a", "1"), "queued commands answer at EXEC");
            assertNull(cmd.incrby(p + "a", 9));
            assertNull(cmd.get(p + "a"));
            TransactionResult result = cmd.exec();
            assertFalse(result.wasDiscarded());
            assertEquals(List.of("OK", 10L, "10"), result.stream().toList());

            // optimistic locking: a watched key changed by another connection aborts the transaction
            assertEquals("OK", cmd.watch(p + "a"));
            assertEquals("OK", other.sync().set(p + "a", "changed"));
            cmd.multi();
            cmd.set(p + "a", "mine");
            assertTrue(cmd.exec().wasDiscarded());
            assertEquals("changed", cmd.get(p + "a"));

            cmd.multi();
            cmd.set(p + "b", "never");
            assertEquals("OK", cmd.discard());
            assertNull(cmd.get(p + "b"));
            assertNotNull(cmd.del(p + "a"));
            redis.assertConnectionsOnProactor(2);
        }
    }
}
