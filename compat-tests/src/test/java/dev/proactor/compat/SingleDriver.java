package dev.proactor.compat;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test that runs in the io_uring-io_uring and poll-poll columns only (the build excludes this tag from the
 * mixed columns): one that exercises one Proactor driver on its own (server only, client only, or no connection),
 * or one too costly for every column, which then says why.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Tag(SingleDriver.TAG)
public @interface SingleDriver {
    String TAG = "single-driver";
}
