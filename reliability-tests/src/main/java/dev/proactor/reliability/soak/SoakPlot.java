package dev.proactor.reliability.soak;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Draws the soak series, one panel each, over time, into a PNG (Java2D only). */
final class SoakPlot {
    private static final int WIDTH = 1000;
    private static final int PANEL_HEIGHT = 200;
    private static final int MARGIN_LEFT = 80;
    private static final int MARGIN_RIGHT = 20;
    private static final int MARGIN_TOP = 30;
    private static final int MARGIN_BOTTOM = 30;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)};

    private SoakPlot() {
    }

    static void write(Path png, String title, List<Sample> samples, List<Flatness> verdicts) throws IOException {
        int panels = Sample.SERIES.length;
        int height = 40 + panels * PANEL_HEIGHT;
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, WIDTH, height);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, MARGIN_LEFT, 24);
        double maxX = Math.max(1, samples.get(samples.size() - 1).seconds);
        for (int p = 0; p < panels; p++) {
            panel(g, 40 + p * PANEL_HEIGHT, p, samples, maxX, verdicts.get(p));
        }
        g.dispose();
        ImageIO.write(img, "png", png.toFile());
    }

    private static void panel(Graphics2D g, int top, int series, List<Sample> samples, double maxX, Flatness verdict) {
        int x0 = MARGIN_LEFT;
        int x1 = WIDTH - MARGIN_RIGHT;
        int y0 = top + PANEL_HEIGHT - MARGIN_BOTTOM;
        int y1 = top + MARGIN_TOP;
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (Sample s : samples) {
            min = Math.min(min, s.series(series));
            max = Math.max(max, s.series(series));
        }
        // Always show zero, so a flat series looks flat and not like noise blown up.
        min = Math.min(0, min);
        max = max <= min ? min + 1 : max * 1.1;
        g.setColor(new Color(0xf4f4f4));
        g.fillRect(x0, y1, x1 - x0, y0 - y1);
        g.setColor(Color.GRAY);
        g.drawRect(x0, y1, x1 - x0, y0 - y1);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 4; i++) {
            double v = min + (max - min) * i / 4;
            int y = y0 - (int) ((y0 - y1) * i / 4.0);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x0 + 1, y, x1 - 1, y);
            g.setColor(Color.DARK_GRAY);
            g.drawString(String.format(java.util.Locale.ROOT, "%.0f", v), 8, y + 4);
        }
        for (int i = 0; i <= 10; i++) {
            int x = x0 + (int) ((x1 - x0) * i / 10.0);
            g.drawString(String.format(java.util.Locale.ROOT, "%.0f s", maxX * i / 10), x - 12, y0 + 16);
        }
        g.setColor(COLORS[series % COLORS.length]);
        g.setStroke(new BasicStroke(2f));
        int px = -1;
        int py = -1;
        for (Sample s : samples) {
            int x = x0 + (int) ((x1 - x0) * s.seconds / maxX);
            int y = y0 - (int) ((y0 - y1) * (s.series(series) - min) / (max - min));
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            g.fillOval(x - 2, y - 2, 5, 5);
            px = x;
            py = y;
        }
        g.setStroke(new BasicStroke(1f));
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 12));
        g.drawString(Sample.SERIES[series] + "   " + (verdict.isFlat() ? "flat" : "NOT flat")
                + String.format(java.util.Locale.ROOT, " (slope %+.2f/min)", verdict.slopePerMinute), x0 + 6, y1 - 6);
    }
}
