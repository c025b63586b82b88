package dev.streamrec.bench.e2e;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The report's PNG plots, drawn headless with JFreeChart. */
final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 450;

    private Charts() {
    }

    /** Events reflected per second (1 s buckets of the watcher's timeline) and recommendation lists per second. */
    static void throughput(final WorkloadRun.Result run, final Path file) throws IOException {
        final XYSeries events = new XYSeries("events reflected in committed profiles /s");
        final XYSeries lists = new XYSeries("recommendation lists committed /s");
        final List<long[]> t = run.timeline();
        int from = 0;
        for (int i = 1; i < t.size(); i++) {
            final long[] a = t.get(from);
            final long[] b = t.get(i);
            if (b[0] - a[0] >= 1000 && a[0] >= run.startMs()) {
                final double seconds = (b[0] - a[0]) / 1000.0;
                final double x = (b[0] - run.startMs()) / 1000.0;
                events.add(x, (b[1] - a[1]) / seconds);
                lists.add(x, (b[2] - a[2]) / seconds);
                from = i;
            } else if (a[0] < run.startMs()) {
                from = i;
            }
        }
        final XYSeriesCollection data = new XYSeriesCollection(events);
        data.addSeries(lists);
        final JFreeChart chart = ChartFactory.createXYLineChart(
                String.format("End-to-end throughput, %,d events (mean %.0f events/s)", run.events(), run.eventsPerSecond()),
                "seconds since first event sent", "per second", data, PlotOrientation.VERTICAL, true, false, false);
        chart.getXYPlot().addRangeMarker(marker(run.eventsPerSecond(), "mean"));
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    /** Histogram of event-to-recommendation latency, up to the 99.9th percentile. */
    static void latency(final LongSamples endToEnd, final LongSamples generation, final double rate,
                        final Path file) throws IOException {
        final double max = Math.max(endToEnd.percentile(99.9), 1);
        final HistogramDataset data = new HistogramDataset();
        data.addSeries("receive time at read_committed consumer − triggerIngestTime", clip(endToEnd.toArray(), max), 60, 0, max);
        data.addSeries("generatedAt − triggerIngestTime (before the EOS commit)", clip(generation.toArray(), max), 60, 0, max);
        final JFreeChart chart = ChartFactory.createHistogram(
                String.format("Event-to-recommendation latency at %.0f events/s (p50 %.0f, p95 %.0f, p99 %.0f ms)", rate,
                        endToEnd.percentile(50), endToEnd.percentile(95), endToEnd.percentile(99)),
                "milliseconds", "recommendation lists", data, PlotOrientation.VERTICAL, true, false, false);
        chart.getXYPlot().addDomainMarker(marker(endToEnd.percentile(99), "p99"));
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    /** The topology's running recall@10/@20 against the offline replay's final figures and popularity. */
    static void recall(final AccuracyRun.Result kafka, final OfflineComparison.Figures offline, final Path file)
            throws IOException {
        final XYSeries at10 = new XYSeries("Kafka recall@10 (running)");
        final XYSeries at20 = new XYSeries("Kafka recall@20 (running)");
        for (final MetricsWatcher.Combined c : kafka.history()) {
            if (c.positivesScored() > 0) {
                at10.add(c.ratingsScored(), c.recallAt10());
                at20.add(c.ratingsScored(), c.recallAt20());
            }
        }
        final XYSeriesCollection data = new XYSeriesCollection(at10);
        data.addSeries(at20);
        final JFreeChart chart = ChartFactory.createXYLineChart("Prequential recall over the ML-100k replay",
                "ratings processed", "recall (rating-5 positives, new items)", data, PlotOrientation.VERTICAL,
                true, false, false);
        for (final double[] line : new double[][] {{offline.recallAt20(), 20}, {offline.recallAt10(), 10}}) {
            final ValueMarker m = marker(line[0], String.format("offline recall@%.0f (final)", line[1]));
            m.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_LEFT);
            m.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.BOTTOM_LEFT);
            chart.getXYPlot().addRangeMarker(m);
        }
        final ValueMarker popularity = marker(offline.popularityAt20(), "popularity recall@20 (final)");
        popularity.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.BOTTOM_RIGHT);
        popularity.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_RIGHT);
        chart.getXYPlot().addRangeMarker(popularity);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }

    private static ValueMarker marker(final double value, final String label) {
        final ValueMarker marker = new ValueMarker(value, Color.DARK_GRAY, new BasicStroke(1f, BasicStroke.CAP_BUTT,
                BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
        marker.setLabel(label);
        return marker;
    }

    private static double[] clip(final long[] values, final double max) {
        return Arrays.stream(values).mapToDouble(v -> Math.min(v, max)).toArray();
    }
}
