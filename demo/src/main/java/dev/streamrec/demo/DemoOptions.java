package dev.streamrec.demo;

import dev.streamrec.updater.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;

/**
 * The demo's command line, parsed and validated once. Options are {@code --name value} or
 * {@code --name=value}; a bad one stops the start with a {@link ConfigException} naming it (the
 * checks are {@link Settings}', keyed by the option as typed, so the message says {@code --rate}).
 *
 * @param httpPort   where the recommender-service listens; 0 picks a free port
 * @param rate       events per second: the synthetic generator's rate, and the average rate of a replay
 *                   unless {@code speedup} is set
 * @param users      synthetic users
 * @param items      synthetic catalog size
 * @param categories synthetic catalog categories
 * @param duration   how long to run; zero means until Ctrl-C
 * @param dataset    a MovieLens ratings file to replay instead of the generator, or null
 * @param speedup    replay clock speed-up (dataset seconds per wall second); 0 derives it from {@code rate}
 * @param seed       seed of the synthetic world and event stream
 * @param partitions partitions of every topic (2 keeps a 2-core laptop responsive)
 * @param keep       keep the run directory (broker data, state, logs) after exit
 */
public record DemoOptions(int httpPort, double rate, int users, int items, int categories, Duration duration,
                          Path dataset, double speedup, long seed, int partitions, boolean keep) {

    /** Options that take no value. */
    private static final List<String> FLAGS = List.of("--keep", "--help");

    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("--http-port", "8080"),
            Map.entry("--rate", "50"),
            Map.entry("--users", "500"),
            Map.entry("--items", "200"),
            Map.entry("--categories", "8"),
            Map.entry("--duration", "0"),
            Map.entry("--dataset", ""),
            Map.entry("--speedup", "0"),
            Map.entry("--seed", "42"),
            Map.entry("--partitions", "2"),
            Map.entry("--keep", "false"),
            Map.entry("--help", "false"));

    public static final String USAGE = String.join("\n",
            "usage: java -jar demo/target/demo.jar [options]",
            "  --http-port N    recommender-service HTTP port (default 8080; 0 = any free port)",
            "  --rate R         events per second (default 50); for --dataset, the average replay rate",
            "  --users N        synthetic users (default 500)",
            "  --items N        synthetic catalog items (default 200)",
            "  --categories N   synthetic catalog categories (default 8)",
            "  --duration S     stop after S seconds (default 0: run until Ctrl-C)",
            "  --dataset PATH   replay a MovieLens ratings file (u.data or ratings.dat) instead of the generator",
            "  --speedup X      replay X dataset seconds per second (default: chosen so the average rate is --rate)",
            "  --seed N         random seed of the synthetic world (default 42)",
            "  --partitions N   partitions per topic (default 2)",
            "  --keep           keep the run directory (broker data, state, logs) after exit",
            "  --help           print this and exit");

    /** True when {@code args} ask for the usage text. */
    public static boolean wantsHelp(final String[] args) {
        return List.of(args).contains("--help") || List.of(args).contains("-h");
    }

    /**
     * Parses the command line.
     *
     * @throws ConfigException naming the first unknown or invalid option
     */
    public static DemoOptions parse(final String... args) {
        final Map<String, String> values = new LinkedHashMap<>(DEFAULTS);
        for (int i = 0; i < args.length; i++) {
            final String arg = args[i];
            if (arg.equals("--")) {
                // What `mvn exec:java -Dexec.args="-- ..."` and habit leave in front: not an option.
                continue;
            }
            final int equals = arg.indexOf('=');
            final String name = equals > 0 ? arg.substring(0, equals) : arg;
            if (!DEFAULTS.containsKey(name)) {
                throw new ConfigException(name + " is not an option of the demo (see --help)");
            }
            if (equals > 0) {
                values.put(name, arg.substring(equals + 1));
            } else if (FLAGS.contains(name)) {
                values.put(name, "true");
            } else if (i + 1 < args.length) {
                values.put(name, args[++i]);
            } else {
                throw new ConfigException(name + " needs a value");
            }
        }
        return from(Settings.of(values));
    }

    private static DemoOptions from(final Settings s) {
        final String datasetText = s.stringOrNull("--dataset");
        final Path dataset = datasetText == null ? null : Path.of(datasetText);
        // A directory is "readable" too, and would only fail once the broker had started.
        if (dataset != null && !(Files.isRegularFile(dataset) && Files.isReadable(dataset))) {
            throw new ConfigException("--dataset", datasetText, "is not a readable file");
        }
        return new DemoOptions(
                s.intValue("--http-port", 0, 65_535),
                s.doubleValue("--rate", 0.1, 100_000),
                s.intValue("--users", 1, 1_000_000),
                s.intValue("--items", 2, 1_000_000),
                s.intValue("--categories", 1, 1000),
                Duration.ofSeconds(s.longValue("--duration", 0, 365L * 24 * 3600)),
                dataset,
                s.doubleValue("--speedup", 0, 1e12),
                s.longValue("--seed", Long.MIN_VALUE, Long.MAX_VALUE),
                s.intValue("--partitions", 1, 64),
                s.bool("--keep"));
    }

    /** True when the run stops by itself. */
    public boolean bounded() {
        return !duration.isZero();
    }
}
