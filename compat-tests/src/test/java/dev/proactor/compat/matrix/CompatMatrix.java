package dev.proactor.compat.matrix;

import dev.proactor.compat.Transport;
import dev.proactor.compat.TransportPair;
import dev.proactor.runtime.DriverUnavailableException;
import io.netty.util.Version;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Builds the compatibility matrix from the Surefire reports of every column, writes it as Markdown, prints it,
 * and fails (throws) if any test failed or any leak was reported. Run by the build after the last column.
 *
 * <p>Arguments: reports root, output file, leak-report directory, build start (ISO-8601 instant, optional).
 */
public final class CompatMatrix {
    private final List<TestResult> results;
    private final List<String> columns;
    private final List<Path> leaks;

    private CompatMatrix(List<TestResult> results, List<Path> leaks) {
        this.results = results;
        this.leaks = leaks;
        this.columns = new ArrayList<>();
        for (TransportPair pair : TransportPair.all()) {
            columns.add(pair.id());
        }
        for (TestResult r : results) {
            if (!columns.contains(r.pair())) {
                columns.add(r.pair());
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Path reports = Path.of(args[0]);
        Path output = Path.of(args[1]);
        Path leakDir = Path.of(args[2]);
        Instant start = args.length > 3 && !args[3].isBlank() ? Instant.parse(args[3]) : null;

        CompatMatrix matrix = new CompatMatrix(SurefireReports.read(reports), leakFiles(leakDir));
        String markdown = matrix.render(start);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, markdown, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(markdown);
        System.out.println("Compatibility matrix written to " + output);
        matrix.verdict();
    }

    private static List<Path> leakFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private void verdict() {
        long failed = count(r -> r.outcome() == TestResult.Outcome.FAILED);
        if (results.isEmpty()) {
            throw new IllegalStateException("no Surefire reports found: nothing ran");
        }
        if (failed > 0 || !leaks.isEmpty()) {
            throw new IllegalStateException("compatibility run failed: " + failed + " failed test case(s), "
                    + leaks.size() + " leak report(s); see the matrix above");
        }
    }

    String render(Instant start) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Proactor compatibility matrix\n\n");
        md.append("Netty ").append(nettyVersion()).append(" testsuite on Proactor channels. ")
                .append("Drivers on this host: ").append(driverAvailability()).append(".\n\n");
        md.append("Columns are server-client transports. A cell is passed/failed/skipped test cases ")
                .append("(one testsuite case runs its scenario with the Pooled and Adaptive allocators). ")
                .append("`-` means not run there: single-driver tests (one-sided, no peer, or too costly for every column) run only where ")
                .append("both ends are the same Proactor driver.\n\n");
        renderTotals(md, start);
        renderTable(md);
        renderFailures(md);
        renderSkips(md);
        renderLeaks(md);
        return md.toString();
    }

    private void renderTable(StringBuilder md) {
        md.append("| Test class |");
        columns.forEach(c -> md.append(' ').append(c).append(" |"));
        md.append("\n|---|");
        columns.forEach(c -> md.append("---|"));
        md.append('\n');
        for (Family family : Family.values()) {
            TreeSet<String> classes = new TreeSet<>(results.stream().map(TestResult::testClass)
                    .filter(c -> Family.of(c) == family).toList());
            if (classes.isEmpty()) {
                continue;
            }
            md.append("| *").append(family.title).append("* |");
            columns.forEach(c -> md.append(" |"));
            md.append('\n');
            for (String testClass : classes) {
                md.append("| ").append(testClass).append(" |");
                for (String column : columns) {
                    Tally t = tally(r -> r.testClass().equals(testClass) && r.pair().equals(column));
                    md.append(' ').append(t.cell()).append(" |");
                }
                md.append('\n');
            }
        }
        md.append("| **Total** |");
        for (String column : columns) {
            md.append(' ').append(tally(r -> r.pair().equals(column)).cell()).append(" |");
        }
        md.append("\n\n");
    }

    private void renderTotals(StringBuilder md, Instant start) {
        md.append("## Totals\n\n");
        md.append("Per column (server-client pair), per driver (every column with that driver on either end), per ")
                .append("channel family, and overall. A test case is one test method for one pair.\n\n");
        md.append("| scope | classes | test cases | passed | failed | skipped | test time |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (String column : columns) {
            totalsRow(md, "column " + column, r -> r.pair().equals(column));
        }
        for (String driver : List.of("io_uring", "poll")) {
            totalsRow(md, "driver " + driver + " (either end)", r -> involves(r.pair(), driver));
        }
        for (Family family : Family.values()) {
            totalsRow(md, family.title, r -> Family.of(r.testClass()) == family);
        }
        totalsRow(md, "**all**", r -> true);
        md.append('\n');
        if (start != null) {
            Duration d = Duration.between(start, Instant.now());
            md.append("Run time (build start to matrix): ").append(d.toMinutes()).append(" min ")
                    .append(d.toSecondsPart()).append(" s.\n\n");
        }
    }

    private void totalsRow(StringBuilder md, String scope, Predicate<TestResult> filter) {
        Tally t = tally(filter);
        if (t.total() == 0) {
            return;
        }
        long classes = results.stream().filter(filter).map(TestResult::testClass).distinct().count();
        md.append("| ").append(scope).append(" | ").append(classes).append(" | ").append(t.total())
                .append(" | ").append(t.passed).append(" | ").append(t.failed).append(" | ").append(t.skipped)
                .append(" | ").append(Math.round(t.seconds)).append(" s |\n");
    }

    private static boolean involves(String pair, String driver) {
        return pair.startsWith(driver + "-") || pair.endsWith("-" + driver);
    }

    private void renderFailures(StringBuilder md) {
        List<TestResult> failed = results.stream().filter(r -> r.outcome() == TestResult.Outcome.FAILED).toList();
        md.append("## Failures (").append(failed.size()).append(")\n\n");
        for (TestResult r : failed) {
            String test = r.testName().isEmpty() ? r.testClass() + " (class)" : r.testClass() + "." + r.testName();
            md.append("- `").append(test).append("` [").append(r.pair())
                    .append("]: ").append(oneLine(r.message())).append('\n');
        }
        md.append('\n');
    }

    private void renderSkips(StringBuilder md) {
        Map<String, TreeSet<String>> byReason = new TreeMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (TestResult r : results) {
            if (r.outcome() == TestResult.Outcome.SKIPPED) {
                String reason = r.message().isBlank() ? "(no reason given)" : oneLine(r.message());
                byReason.computeIfAbsent(reason, k -> new TreeSet<>()).add(r.testClass());
                counts.merge(reason, 1, Integer::sum);
            }
        }
        md.append("## Skipped, by reason\n\n");
        byReason.forEach((reason, classes) -> md.append("- ").append(reason).append(" (").append(counts.get(reason))
                .append(" cases: ").append(String.join(", ", classes)).append(")\n"));
        md.append('\n');
    }

    private void renderLeaks(StringBuilder md) throws IOException {
        md.append("## Leak reports (").append(leaks.size()).append(")\n\n");
        for (Path leak : leaks) {
            String text = Files.readString(leak, StandardCharsets.UTF_8);
            md.append("- ").append(leak.getFileName()).append(": ").append(oneLine(text)).append('\n');
        }
        md.append('\n');
    }

    private static String oneLine(String s) {
        String t = s.strip().replace('\n', ' ').replace('|', '/');
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    private static String driverAvailability() {
        StringBuilder sb = new StringBuilder();
        for (Transport t : Transport.values()) {
            if (t.isProactor()) {
                DriverUnavailableException why = t.unavailabilityCause();
                sb.append(sb.length() == 0 ? "" : "; ").append(t.id())
                        .append(why == null ? " available" : " unavailable (" + why.getMessage() + ")");
            }
        }
        return sb.toString();
    }

    private static String nettyVersion() {
        Version v = Version.identify().get("netty-testsuite");
        return v != null ? v.artifactVersion() : "(unknown version)";
    }

    private long count(Predicate<TestResult> filter) {
        return results.stream().filter(filter).count();
    }

    private Tally tally(Predicate<TestResult> filter) {
        Tally t = new Tally();
        results.stream().filter(filter).forEach(t::add);
        return t;
    }

    /** The kind of channel a test class exercises, for grouping rows: from its name. */
    enum Family {
        SOCKET("TCP sockets, event loops"),
        DATAGRAM("Datagram (UDP) sockets"),
        DOMAIN("Unix domain stream sockets");

        final String title;

        Family(String title) {
            this.title = title;
        }

        static Family of(String testClass) {
            if (testClass.contains("Datagram")) {
                return DATAGRAM;
            }
            return testClass.contains("DomainSocket") ? DOMAIN : SOCKET;
        }
    }

    private static final class Tally {
        long passed;
        long failed;
        long skipped;
        double seconds;

        void add(TestResult r) {
            switch (r.outcome()) {
                case PASSED -> passed++;
                case FAILED -> failed++;
                case SKIPPED -> skipped++;
            }
            seconds += r.seconds();
        }

        long total() {
            return passed + failed + skipped;
        }

        String cell() {
            if (total() == 0) {
                return "-";
            }
            String cell = passed + "/" + failed + "/" + skipped;
            return failed > 0 ? "**" + cell + "**" : cell;
        }
    }
}
