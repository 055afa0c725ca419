package dev.proactor.integration.support;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One self-signed certificate for localhost and 127.0.0.1 (netty-pkitesting), made once per test JVM. Clients
 * verify it against {@link #rootPem()} rather than skipping verification.
 */
public final class TestCertificates {
    private static X509Bundle server;
    private static File rootPem;

    private TestCertificates() {
    }

    public static synchronized X509Bundle server() {
        if (server == null) {
            try {
                server = new CertificateBuilder()
                        .subject("CN=localhost")
                        .addSanDnsName("localhost")
                        .addSanIpAddress("127.0.0.1")
                        .notBefore(Instant.now().minus(1, ChronoUnit.DAYS))
                        .notAfter(Instant.now().plus(1, ChronoUnit.DAYS))
                        .setIsCertificateAuthority(true)
                        .addExtendedKeyUsageServerAuth()
                        .ecp256()
                        .buildSelfSigned();
            } catch (Exception e) {
                throw new IllegalStateException("could not make the test certificate", e);
            }
        }
        return server;
    }

    /** The certificate as a PEM file, for curl's --cacert. */
    public static synchronized File rootPem() {
        if (rootPem == null) {
            try {
                rootPem = server().toTempRootCertPem();
                rootPem.deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return rootPem;
    }
}
