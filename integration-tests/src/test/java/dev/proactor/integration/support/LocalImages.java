package dev.proactor.integration.support;

/** Images that ../shared/docker/setup.sh makes locally (no registry is reachable: never name another). */
public final class LocalImages {
    /** A minimal Debian 12 with the host's glibc; apt-get works inside it. */
    public static final String DEBIAN = "local/debian:bookworm";

    private LocalImages() {
    }
}
