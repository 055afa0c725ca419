package dev.proactor.bench;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws the results of run.sh as a PNG (Java2D, headless): for every workload row, the median throughput and the
 * server CPU per request of each transport as horizontal bars, side by side; and, given memory.tsv, the memory per
 * idle connection. Each row has its own scale (the rows differ by orders of magnitude); the value is written at
 * the end of every bar.
 *
 * <pre>java -Djava.awt.headless=true -cp proactor-benchmarks.jar dev.proactor.bench.Chart results.tsv results.png [memory.tsv]</pre>
 */
public final class Chart {

    private static final int WIDTH = 1400;
    private static final int MARGIN = 20;
    private static final int LABEL_WIDTH = 150;
    private static final int BAR_HEIGHT = 14;
    private static final int BAR_GAP = 3;
    private static final int GROUP_TITLE = 22;
    private static final int GROUP_GAP = 12;
    private static final int HEADER = 70;
    private static final Color[] PALETTE = {
        new Color(0x4e79a7), new Color(0xf28e2b), new Color(0x59a14f), new Color(0xe15759), new Color(0x76b7b2),
        new Color(0xb07aa1), new Color(0xedc948), new Color(0x9c755f),
    };

    private Chart() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2 || args.length > 3) {
            throw new IllegalArgumentException("usage: Chart <results.tsv> <out.png> [memory.tsv]");
        }
        List<String> memory = args.length == 3 ? Files.readAllLines(Path.of(args[2])) : List.of();
        BufferedImage image = draw(Report.table(Files.readAllLines(Path.of(args[0]))), memory);
        ImageIO.write(image, "png", Path.of(args[1]).toFile());
    }

    static BufferedImage draw(Report.Table table, List<String> memoryLines) {
        List<String> transports = new ArrayList<>(table.transports());
        Map<String, Double> memory = memoryPerConnection(memoryLines);
        int groupHeight = GROUP_TITLE + transports.size() * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP;
        int memoryHeight = memory.isEmpty() ? 0 : GROUP_TITLE * 2 + memory.size() * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP;
        int height = HEADER + table.rows().size() * groupHeight + memoryHeight + MARGIN;

        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);

            int panel = (WIDTH - 2 * MARGIN - LABEL_WIDTH - MARGIN) / 2;
            int throughputX = MARGIN + LABEL_WIDTH;
            int cpuX = throughputX + panel + MARGIN;
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString("Throughput (req/s or msg/s; higher is better)", throughputX, MARGIN + 16);
            g.drawString("Server CPU per request (us; lower is better)", cpuX, MARGIN + 16);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString("Medians of the rounds; every row has its own scale.", throughputX, MARGIN + 36);
            drawLegend(g, transports, cpuX, MARGIN + 36);

            int y = HEADER;
            for (Map.Entry<Report.Key, Map<String, Report.Medians>> row : table.rows().entrySet()) {
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
                g.drawString(row.getKey().workload() + ", " + row.getKey().connections() + " connections", MARGIN, y + 15);
                y += GROUP_TITLE;
                Map<String, Report.Medians> m = row.getValue();
                double maxThroughput = m.values().stream().mapToDouble(Report.Medians::throughput).max().orElse(1);
                double maxCpu = m.values().stream().mapToDouble(Report.Medians::cpuUsPerOp).max().orElse(1);
                for (int i = 0; i < transports.size(); i++) {
                    String t = transports.get(i);
                    Report.Medians x = m.get(t);
                    g.setColor(Color.DARK_GRAY);
                    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                    g.drawString(t, MARGIN + 10, y + BAR_HEIGHT - 2);
                    if (x != null) {
                        bar(g, PALETTE[i % PALETTE.length], throughputX, y, panel, x.throughput() / maxThroughput,
                                rate(x.throughput()));
                        bar(g, PALETTE[i % PALETTE.length], cpuX, y, panel, x.cpuUsPerOp() / maxCpu,
                                String.format(Locale.ROOT, "%.2f us", x.cpuUsPerOp()));
                    }
                    y += BAR_HEIGHT + BAR_GAP;
                }
                y += GROUP_GAP;
            }
            if (!memory.isEmpty()) {
                drawMemory(g, memory, transports, y, panel, throughputX);
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void drawMemory(Graphics2D g, Map<String, Double> memory, List<String> transports, int top,
                                   int panel, int x) {
        int y = top + GROUP_TITLE;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString("Memory per idle connection (heap + RSS growth, bytes; lower is better)", MARGIN, y);
        y += GROUP_TITLE - 8;
        double max = memory.values().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        for (Map.Entry<String, Double> e : memory.entrySet()) {
            int i = transports.indexOf(e.getKey());
            g.setColor(Color.DARK_GRAY);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(e.getKey(), MARGIN + 10, y + BAR_HEIGHT - 2);
            bar(g, PALETTE[Math.max(0, i) % PALETTE.length], x, y, panel, e.getValue() / max,
                    String.format(Locale.ROOT, "%.0f B", e.getValue()));
            y += BAR_HEIGHT + BAR_GAP;
        }
    }

    private static void bar(Graphics2D g, Color color, int x, int y, int panel, double fraction, String label) {
        int labelRoom = 90;
        int length = (int) Math.round(Math.max(0, Math.min(1, Double.isFinite(fraction) ? fraction : 0)) * (panel - labelRoom));
        g.setColor(color);
        g.fillRect(x, y, Math.max(1, length), BAR_HEIGHT);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString(label, x + length + 5, y + BAR_HEIGHT - 2);
    }

    private static void drawLegend(Graphics2D g, List<String> transports, int x, int y) {
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setStroke(new BasicStroke(1));
        int cx = x;
        for (int i = 0; i < transports.size(); i++) {
            g.setColor(PALETTE[i % PALETTE.length]);
            g.fillRect(cx, y - 10, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(transports.get(i), cx + 16, y);
            cx += 24 + g.getFontMetrics().stringWidth(transports.get(i));
        }
    }

    /** Median heap + RSS growth per idle connection, by transport (memory.tsv columns 4 and 5). */
    private static Map<String, Double> memoryPerConnection(List<String> lines) {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            values.computeIfAbsent(f[0], t -> new ArrayList<>()).add(Double.parseDouble(f[3]) + Double.parseDouble(f[4]));
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        values.forEach((t, v) -> medians.put(t, Report.median(v.stream().mapToDouble(Double::doubleValue).toArray())));
        return medians;
    }

    private static String rate(double v) {
        return v >= 1000 ? String.format(Locale.ROOT, "%.1fk/s", v / 1000) : String.format(Locale.ROOT, "%.0f/s", v);
    }
}
