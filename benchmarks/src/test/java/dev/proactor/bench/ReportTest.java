package dev.proactor.bench;

import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tables and the chart made from run.sh's raw lines. */
class ReportTest {

    private static final List<String> LINES = List.of(
            "TCP echo, 64-byte ping-pong\t64\tepoll\t1\t200000.0\t700.0\t4.60\t93.0\t96.0\t0\t5.0\t-1\t-1\t-1",
            "TCP echo, 64-byte ping-pong\t64\tproactor-io_uring\t1\t210000.0\t650.0\t4.40\t94.0\t97.0\t0\t4.0\t0.1200\t2.0100\t16.50\t0.1200",
            "TCP echo, 64-byte ping-pong\t64\tproactor-io_uring\t2\t190000.0\t660.0\t4.80\t94.0\t97.0\t0\t3.0\t0.1400\t2.0300\t14.50\t0.1400",
            // the 11-column lines of earlier runs (results-full-3.tsv) have no counters
            "TCP echo, 64-byte ping-pong\t256\tepoll\t1\t196100.0\t2950.0\t4.83\t95.0\t99.0\t0\t4.0");

    @Test
    void countersOfProactorRowsGetTheirOwnTableWithMedians() {
        String md = Report.render(LINES);
        assertTrue(md.contains("| TCP echo, 64-byte ping-pong | 64 | proactor-io_uring | 0.130 | 0.130 | 2.020 | 15.50 |"), md);
        assertFalse(md.contains("| 64 | epoll | -"), "transports without counters have no row there: " + md);
        assertTrue(md.contains("| TCP echo, 64-byte ping-pong | 64 | proactor-io_uring | 200.0k |"), md);
        assertTrue(md.contains("| TCP echo, 64-byte ping-pong | 256 | epoll | 196.1k |"), md);
    }

    @Test
    void olderResultsWithoutCountersHaveNoCounterTable() {
        String md = Report.render(List.of(LINES.get(3)));
        assertFalse(md.contains("kernel waits/req"), md);
    }

    @Test
    void memoryTableGivesMediansPerTransportAndTheRatioToEpoll() {
        String md = Report.renderMemory(List.of(
                "epoll\t1\t50000\t100.0\t400.0\t600.0\t9.5",
                "epoll\t2\t50000\t120.0\t380.0\t600.0\t9.1",
                "proactor-io_uring\t1\t50000\t300.0\t700.0\t650.0\t9.9"));
        assertTrue(md.contains("| epoll | 50000 | 110 | 390 | 1.00x | 600 MiB |"), md);
        assertTrue(md.contains("| proactor-io_uring | 50000 | 300 | 700 | 2.00x | 650 MiB |"), md);
        assertEquals("", Report.renderMemory(List.of()));
    }

    @Test
    void chartHasOneGroupPerRowAndAMemorySection() {
        Report.Table table = Report.table(LINES);
        BufferedImage plain = Chart.draw(table, List.of());
        BufferedImage withMemory = Chart.draw(table, List.of("epoll\t1\t50000\t100.0\t400.0\t600.0\t9.5"));
        assertEquals(1400, plain.getWidth());
        assertTrue(withMemory.getHeight() > plain.getHeight(), "the memory section adds height");
        assertTrue(plain.getRGB(plain.getWidth() / 2, plain.getHeight() / 2) != 0, "drawn on a white background");
    }
}
