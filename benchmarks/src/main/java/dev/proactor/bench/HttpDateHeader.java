package dev.proactor.bench;

import io.netty.util.AsciiString;
import io.netty.util.concurrent.EventExecutorGroup;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/** The Date header value, refreshed once a second off the request path (as TechEmpower servers do). */
final class HttpDateHeader {

    private volatile AsciiString value = format();

    HttpDateHeader(EventExecutorGroup refresher) {
        refresher.scheduleAtFixedRate(() -> value = format(), 1, 1, TimeUnit.SECONDS);
    }

    AsciiString value() {
        return value;
    }

    private static AsciiString format() {
        return AsciiString.cached(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
    }
}
