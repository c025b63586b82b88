package dev.streamrec.bench.serde;

import java.util.Collection;
import java.util.Locale;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link SerdeRoundTripBenchmark} and prints both scores and the serde's overhead relative
 * to plain Avro, against the target of 20 %. Takes JMH's own command-line options, e.g.
 * {@code -f 1 -wi 3 -i 5}.
 */
public final class SerdeOverhead {

    /** The serde may cost at most this much more than plain Avro for the same record. */
    private static final double TARGET_OVERHEAD = 0.20;

    private SerdeOverhead() {
    }

    public static void main(final String[] args) throws RunnerException, CommandLineOptionException {
        final Options options = new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(SerdeRoundTripBenchmark.class.getName() + "\\.")
                .build();
        final Collection<RunResult> results = new Runner(options).run();

        final RunResult serde = result(results, "serde");
        final RunResult plain = result(results, "plainAvro");
        final Result<?> serdeMean = serde.getPrimaryResult();
        final Result<?> plainMean = plain.getPrimaryResult();
        final double serdeMedian = medianIteration(serde);
        final double plainMedian = medianIteration(plain);
        // The median of the measured iterations is reported next to JMH's mean: on a small
        // machine shared with other builds one disturbed iteration moves the mean by a lot.
        final double overhead = serdeMedian / plainMedian - 1.0;
        System.out.printf(Locale.ROOT, "%nClickEvent serialize + deserialize, %d measured iterations each%n",
                serdeMean.getStatistics().getN());
        System.out.printf(Locale.ROOT, "  our serde (mock registry, warm):   median %7.1f, mean %7.1f ± %.1f %s%n",
                serdeMedian, serdeMean.getScore(), serdeMean.getScoreError(), serdeMean.getScoreUnit());
        System.out.printf(Locale.ROOT, "  plain Avro specific writer/reader: median %7.1f, mean %7.1f ± %.1f %s%n",
                plainMedian, plainMean.getScore(), plainMean.getScoreError(), plainMean.getScoreUnit());
        System.out.printf(Locale.ROOT, "  serde / plain (medians) = %.3f: overhead %.1f %% (target < %.0f %%): %s%n",
                serdeMedian / plainMedian, overhead * 100, TARGET_OVERHEAD * 100,
                overhead < TARGET_OVERHEAD ? "met" : "NOT met");
        // Other processes only ever add time, so the fastest iteration is the least disturbed
        // one: on a busy machine its ratio is the better estimate of the serde's own cost.
        System.out.printf(Locale.ROOT, "  serde / plain (means) = %.3f, (best iterations %.1f / %.1f) = %.3f%n",
                serdeMean.getScore() / plainMean.getScore(), bestIteration(serde), bestIteration(plain),
                bestIteration(serde) / bestIteration(plain));
    }

    private static double bestIteration(final RunResult result) {
        return iterationScores(result)[0];
    }

    private static RunResult result(final Collection<RunResult> results, final String method) {
        return results.stream()
                .filter(r -> r.getParams().getBenchmark().endsWith("." + method))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("No result for benchmark method " + method));
    }

    private static double medianIteration(final RunResult result) {
        final double[] scores = iterationScores(result);
        final int n = scores.length;
        return n % 2 == 1 ? scores[n / 2] : (scores[n / 2 - 1] + scores[n / 2]) / 2;
    }

    /** Measured iterations' scores (time per operation), fastest first. */
    private static double[] iterationScores(final RunResult result) {
        return result.getBenchmarkResults().stream()
                .flatMap(b -> b.getIterationResults().stream())
                .mapToDouble(i -> i.getPrimaryResult().getScore())
                .sorted()
                .toArray();
    }
}
