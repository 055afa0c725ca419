package dev.proactor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns the raw measurements of run.sh (one tab-separated line per run) into Markdown tables: the median
 * of the rounds per workload and transport, and ratios against Netty io_uring and epoll from the same run;
 * and, given the idle-connection measurements, memory per connection.
 *
 * <p>Columns of results.tsv: workload, connections, transport, round, throughput (req/s or msg/s),
 * p99 (us, negative when not measured), server CPU per request (us), server CPU %, load CPU %, errors,
 * CPU % used by other processes during the measurement, then (optional; negative for transports without driver
 * counters) the server's kernel waits per request, submissions per request, completions per kernel wait and driver
 * system calls (kernel waits plus direct calls) per request.
 *
 * <p>Columns of memory.tsv: transport, round, connections, heap bytes per connection, RSS bytes per connection,
 * RSS (MiB) with every connection open, seconds to open them.
 */
public final class Report {

    private static final String[] BASELINES = {"io_uring", "epoll"};

    record Key(String workload, String connections) {
    }

    private record Run(double throughput, double p99Us, double cpuUsPerOp, double serverCpuPct,
                       double loadCpuPct, long errors, double otherCpuPct, double waitsPerOp, double submitsPerOp,
                       double completionsPerWait, double syscallsPerOp) {
    }

    /** Medians over the rounds of one workload row and transport; NaN where a figure was not measured. */
    record Medians(double throughput, double p99Us, double cpuUsPerOp, double serverCpuPct,
                   double loadCpuPct, long errors, double maxOtherCpuPct, int rounds, double waitsPerOp,
                   double submitsPerOp, double completionsPerWait, double syscallsPerOp) {
    }

    /** The medians of a run: by workload row, then by transport, both in the order first measured. */
    record Table(Set<String> transports, Map<Key, Map<String, Medians>> rows) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            throw new IllegalArgumentException("usage: Report <results.tsv> [memory.tsv]");
        }
        System.out.print(render(Files.readAllLines(Path.of(args[0]))));
        if (args.length == 2) {
            System.out.print(renderMemory(Files.readAllLines(Path.of(args[1]))));
        }
    }

    static Table table(List<String> lines) {
        Map<Key, Map<String, List<Run>>> runs = new LinkedHashMap<>();
        Set<String> transports = new LinkedHashSet<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            Key key = new Key(f[0], f[1]);
            transports.add(f[2]);
            runs.computeIfAbsent(key, k -> new LinkedHashMap<>()).computeIfAbsent(f[2], t -> new ArrayList<>())
                    .add(new Run(d(f[4]), d(f[5]), d(f[6]), d(f[7]), d(f[8]), Long.parseLong(f[9]), d(f[10]),
                            optional(f, 11), optional(f, 12), optional(f, 13), optional(f, 14)));
        }
        Map<Key, Map<String, Medians>> medians = new LinkedHashMap<>();
        runs.forEach((key, byTransport) -> {
            Map<String, Medians> m = new LinkedHashMap<>();
            for (String t : transports) {
                List<Run> r = byTransport.get(t);
                if (r != null) {
                    m.put(t, medians(r));
                }
            }
            medians.put(key, m);
        });
        return new Table(transports, medians);
    }

    static String render(List<String> lines) {
        Table table = table(lines);
        Set<String> transports = table.transports();
        Map<Key, Map<String, Medians>> medians = table.rows();

        StringBuilder out = new StringBuilder();
        out.append("Throughput (median of rounds; req/s for HTTP, msg/s for echo)\n\n");
        out.append("| workload | conns |");
        transports.forEach(t -> out.append(' ').append(t).append(" |"));
        out.append(" server CPU us/request (").append(String.join(" / ", transports)).append(") |\n");
        out.append("|---|---|");
        transports.forEach(t -> out.append("---|"));
        out.append("---|\n");
        medians.forEach((key, m) -> {
            out.append("| ").append(key.workload()).append(" | ").append(key.connections()).append(" |");
            List<String> cpu = new ArrayList<>();
            for (String t : transports) {
                Medians x = m.get(t);
                out.append(' ').append(x == null ? "-" : rate(x.throughput())).append(" |");
                cpu.add(x == null ? "-" : num(x.cpuUsPerOp()));
            }
            out.append(' ').append(String.join(" / ", cpu)).append(" |\n");
        });

        out.append("\nDetails (medians; ratios against Netty io_uring / epoll measured in the same run: "
                + "throughput higher is better, CPU per request lower is better. p99 is n/a under pipelining, "
                + "where wrk's percentiles are broken. 'other CPU' is what other processes took while measuring: "
                + "rows where it is high are disturbed)\n\n");
        out.append("| workload | conns | transport | throughput | p99 | server CPU us/req | server CPU % "
                + "| load CPU % | throughput vs io_uring | vs epoll | CPU/req vs io_uring | vs epoll | errors "
                + "| other CPU % (max) |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        medians.forEach((key, m) -> m.forEach((t, x) -> {
            out.append("| ").append(key.workload()).append(" | ").append(key.connections()).append(" | ")
                    .append(t).append(" | ").append(rate(x.throughput())).append(" | ").append(latency(x.p99Us()))
                    .append(" | ").append(num(x.cpuUsPerOp())).append(" | ").append(pct(x.serverCpuPct()))
                    .append(" | ").append(pct(x.loadCpuPct()));
            for (String base : BASELINES) {
                Medians b = m.get(base);
                out.append(" | ").append(b == null ? "-" : ratio(x.throughput() / b.throughput()));
            }
            for (String base : BASELINES) {
                Medians b = m.get(base);
                out.append(" | ").append(b == null ? "-" : ratio(x.cpuUsPerOp() / b.cpuUsPerOp()));
            }
            out.append(" | ").append(x.errors()).append(" | ").append(pct(x.maxOtherCpuPct())).append(" |\n");
        }));

        boolean counted = medians.values().stream().flatMap(m -> m.values().stream())
                .anyMatch(x -> !Double.isNaN(x.waitsPerOp()));
        if (counted) {
            out.append("\nProactor driver counters on the server over each measurement (medians): system calls into the ")
                    .append("driver's wait (io_uring_enter / epoll_wait) per request; all the driver's system calls per ")
                    .append("request (those waits plus the poll driver's non-blocking recv/send/accept/close attempts; ")
                    .append("epoll_ctl is not counted); operations submitted per request; completions per wait (the ")
                    .append("batch size)\n\n");
            out.append("| workload | conns | transport | kernel waits/req | driver syscalls/req | submissions/req "
                    + "| completions/wait |\n");
            out.append("|---|---|---|---|---|---|---|\n");
            medians.forEach((key, m) -> m.forEach((t, x) -> {
                if (!Double.isNaN(x.waitsPerOp())) {
                    out.append("| ").append(key.workload()).append(" | ").append(key.connections()).append(" | ")
                            .append(t).append(" | ").append(fixed(x.waitsPerOp(), 3)).append(" | ")
                            .append(fixed(x.syscallsPerOp(), 3)).append(" | ")
                            .append(fixed(x.submitsPerOp(), 3)).append(" | ")
                            .append(fixed(x.completionsPerWait(), 2)).append(" |\n");
                }
            }));
        }
        return out.toString();
    }

    /** The memory table: per transport, the medians of heap and RSS growth per idle connection. */
    static String renderMemory(List<String> lines) {
        Map<String, List<double[]>> byTransport = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            byTransport.computeIfAbsent(f[0], t -> new ArrayList<>())
                    .add(new double[] {d(f[2]), d(f[3]), d(f[4]), d(f[5])});
        }
        if (byTransport.isEmpty()) {
            return "";
        }
        Map<String, double[]> medians = new LinkedHashMap<>();
        byTransport.forEach((t, rows) -> {
            double[] m = new double[4];
            for (int i = 0; i < 4; i++) {
                int c = i;
                m[i] = median(rows.stream().mapToDouble(r -> r[c]).toArray());
            }
            medians.put(t, m);
        });
        double[] epoll = medians.get("epoll");
        StringBuilder out = new StringBuilder();
        out.append("\nMemory per idle connection (medians of rounds): the server's heap after a full GC and its RSS ")
                .append("(heap pre-touched, so RSS growth is off-heap: direct buffers, native memory), before and after ")
                .append("the connections were opened, divided by their number. Kernel socket memory is not included\n\n");
        out.append("| transport | connections | heap bytes/conn | RSS bytes/conn | heap + RSS vs epoll | RSS with all open |\n");
        out.append("|---|---|---|---|---|---|\n");
        medians.forEach((t, m) -> out.append("| ").append(t).append(" | ").append(String.format(Locale.ROOT, "%.0f", m[0]))
                .append(" | ").append(String.format(Locale.ROOT, "%.0f", m[1]))
                .append(" | ").append(String.format(Locale.ROOT, "%.0f", m[2]))
                .append(" | ").append(epoll == null ? "-" : ratio((m[1] + m[2]) / (epoll[1] + epoll[2])))
                .append(" | ").append(String.format(Locale.ROOT, "%.0f MiB", m[3])).append(" |\n"));
        return out.toString();
    }

    private static Medians medians(List<Run> runs) {
        return new Medians(
                median(runs.stream().mapToDouble(Run::throughput).toArray()),
                median(runs.stream().mapToDouble(Run::p99Us).toArray()),
                median(runs.stream().mapToDouble(Run::cpuUsPerOp).toArray()),
                median(runs.stream().mapToDouble(Run::serverCpuPct).toArray()),
                median(runs.stream().mapToDouble(Run::loadCpuPct).toArray()),
                runs.stream().mapToLong(Run::errors).sum(),
                runs.stream().mapToDouble(Run::otherCpuPct).max().orElse(0),
                runs.size(),
                measuredMedian(runs.stream().mapToDouble(Run::waitsPerOp).toArray()),
                measuredMedian(runs.stream().mapToDouble(Run::submitsPerOp).toArray()),
                measuredMedian(runs.stream().mapToDouble(Run::completionsPerWait).toArray()),
                measuredMedian(runs.stream().mapToDouble(Run::syscallsPerOp).toArray()));
    }

    /** The median of the values that were measured (not NaN); NaN if none was. */
    private static double measuredMedian(double[] values) {
        double[] measured = java.util.Arrays.stream(values).filter(v -> !Double.isNaN(v)).toArray();
        return measured.length == 0 ? Double.NaN : median(measured);
    }

    /** Column {@code i} if present and not negative (negative: not measured), else NaN. */
    private static double optional(String[] f, int i) {
        if (i >= f.length || f[i].isBlank()) {
            return Double.NaN;
        }
        double v = d(f[i]);
        return v < 0 ? Double.NaN : v;
    }

    private static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    static double median(double[] values) {
        List<Double> sorted = new ArrayList<>();
        for (double v : values) {
            sorted.add(v);
        }
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }

    private static String rate(double v) {
        return v >= 1000 ? String.format(Locale.ROOT, "%.1fk", v / 1000) : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String latency(double us) {
        if (us < 0) {
            return "n/a";
        }
        return us >= 1000 ? String.format(Locale.ROOT, "%.2f ms", us / 1000)
                : String.format(Locale.ROOT, "%.0f us", us);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pct(double v) {
        return String.format(Locale.ROOT, "%.0f%%", v);
    }

    private static String ratio(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2fx", v) : "-";
    }
}
