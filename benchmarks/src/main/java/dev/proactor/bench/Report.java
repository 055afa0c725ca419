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
 * of the rounds per workload and transport, and ratios against Netty io_uring and epoll from the same run.
 *
 * <p>Columns of the input: workload, connections, transport, round, throughput (req/s or msg/s),
 * p99 (us, negative when not measured), server CPU per request (us), server CPU %, load CPU %, errors,
 * CPU % used by other processes during the measurement.
 */
public final class Report {

    private static final String[] BASELINES = {"io_uring", "epoll"};

    private record Key(String workload, String connections) {
    }

    private record Run(double throughput, double p99Us, double cpuUsPerOp, double serverCpuPct,
                       double loadCpuPct, long errors, double otherCpuPct) {
    }

    private record Medians(double throughput, double p99Us, double cpuUsPerOp, double serverCpuPct,
                           double loadCpuPct, long errors, double maxOtherCpuPct, int rounds) {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Report <results.tsv>");
        }
        System.out.print(render(Files.readAllLines(Path.of(args[0]))));
    }

    static String render(List<String> lines) {
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
                    .add(new Run(d(f[4]), d(f[5]), d(f[6]), d(f[7]), d(f[8]), Long.parseLong(f[9]), d(f[10])));
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
                runs.size());
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
