package dev.streamrec.bench.rocksdb;

import dev.streamrec.updater.clean.Deduplicator;
import dev.streamrec.updater.config.BoundedMemoryRocksDbConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.internals.WindowKeySchema;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.CompactionStyle;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBufferManager;
import org.rocksdb.WriteOptions;

/**
 * The dedupe check's RocksDB work as a store grows: per event, two lookups of keys that are not
 * there (the event's bucket and the one before it) and one put, on {@code dedupe-store}'s keys
 * ({@link Deduplicator#key} laid out by Kafka Streams' own window-store key schema). Compares the three table layouts of {@link BoundedMemoryRocksDbConfig}'s history, all
 * with index and filter blocks charged to the cache: whole blocks in a cache of RocksDB's default
 * shards (up to 64, at least 512 KiB: the layout before the thirteenth session), whole blocks in
 * the cache {@link BoundedMemoryRocksDbConfig#newCache} makes (shards of 16 MiB or more: every
 * store now), and partitioned blocks (an option, {@code streamrec.rocksdb.partitioned.index.stores}).
 * Each run uses a fresh database with a cache and write-buffer manager of its own, sized like the
 * application's. Prints µs per event for every block of events and the median over the runs.
 *
 * <p>The store's other options are those Kafka Streams' {@code RocksDBStore} gives every store
 * (Kafka 4.x): block-based table with a Bloom filter and 4 KiB blocks, universal compaction, 16 MiB
 * write buffers (3 at most), no compression, no write-ahead log.
 *
 * <pre>bench/run.sh filter-blocks --keys 1500000 --cache-mib 64 --runs 3</pre>
 * {@code --layouts WHOLE_BLOCKS,PARTITIONED} leaves the old layout out (names as in {@link Layout}).
 */
public final class FilterBlockBenchmark {
    private static final int BLOCK = 250_000;
    private static final int USERS = 50_000;
    private static final long DAY_MS = 86_400_000L;

    private FilterBlockBenchmark() {
    }

    /** The table layouts compared. */
    enum Layout {
        WHOLE_BLOCKS_DEFAULT_SHARDS("whole blocks, RocksDB's shards (before)"),
        WHOLE_BLOCKS("whole blocks, 16 MiB shards (now)"),
        PARTITIONED("partitioned (option)");

        private final String title;

        Layout(final String title) {
            this.title = title;
        }
    }

    public static void main(final String[] args) throws Exception {
        long keys = 1_500_000;
        long cacheMib = 64;
        int runs = 3;
        List<Layout> layouts = List.of(Layout.values());
        for (int a = 0; a < args.length; a++) {
            switch (args[a]) {
                case "--keys" -> keys = Long.parseLong(args[++a]);
                case "--cache-mib" -> cacheMib = Long.parseLong(args[++a]);
                case "--runs" -> runs = Integer.parseInt(args[++a]);
                // e.g. "WHOLE_BLOCKS,PARTITIONED": at scale the old layout re-reads whole filter
                // blocks per lookup and takes longer than the other two together.
                case "--layouts" -> layouts = Arrays.stream(args[++a].split(",")).map(String::strip)
                        .map(Layout::valueOf).distinct().sorted().toList();
                default -> throw new IllegalArgumentException("Unknown option " + args[a]
                        + " (expected --keys N, --cache-mib N, --runs N, --layouts L,L)");
            }
        }
        if (keys < BLOCK || runs < 1 || cacheMib < 1) {
            throw new IllegalArgumentException("--keys must be at least " + BLOCK + ", --runs and --cache-mib at least 1");
        }
        RocksDB.loadLibrary();
        final int blocks = (int) (keys / BLOCK);
        final double[][][] micros = new double[Layout.values().length][blocks][runs];
        for (int run = 0; run < runs; run++) {
            // Alternate the order so neither layout always runs on a warmer machine.
            final List<Layout> order = new ArrayList<>(layouts);
            if (run % 2 == 1) {
                order.sort(Comparator.reverseOrder());
            }
            for (final Layout layout : order) {
                final double[] perBlock = run(layout, blocks, cacheMib << 20, run);
                for (int b = 0; b < blocks; b++) {
                    micros[layout.ordinal()][b][run] = perBlock[b];
                }
                System.out.printf("run %d %-27s %s%n", run + 1, layout, Arrays.toString(round(perBlock)));
            }
        }
        System.out.printf("%nµs per event (2 lookups that miss + 1 put), median of %d runs, cache %d MiB:%n%n", runs, cacheMib);
        final StringBuilder header = new StringBuilder("| keys in the store |");
        final StringBuilder rule = new StringBuilder("| ---: |");
        for (final Layout layout : layouts) {
            header.append(' ').append(layout.title).append(" |");
            rule.append(" ---: |");
        }
        System.out.println(header);
        System.out.println(rule);
        for (int b = 0; b < blocks; b++) {
            final StringBuilder row = new StringBuilder(String.format("| %,d |", (long) (b + 1) * BLOCK));
            for (final Layout layout : layouts) {
                row.append(String.format(" %.1f |", median(micros[layout.ordinal()][b])));
            }
            System.out.println(row);
        }
    }

    private static double[] run(final Layout layout, final int blocks, final long cacheBytes, final int seed)
            throws IOException, RocksDBException {
        final Path dir = Files.createTempDirectory("streamrec-filter-bench");
        final BlockBasedTableConfig table = new BlockBasedTableConfig()
                .setFilterPolicy(new BloomFilter()).setBlockSize(4096);
        try (Cache cache = layout == Layout.WHOLE_BLOCKS_DEFAULT_SHARDS
                ? new LRUCache(cacheBytes, -1, false, 0.1) : BoundedMemoryRocksDbConfig.newCache(cacheBytes);
             WriteBufferManager writeBuffers = new WriteBufferManager(cacheBytes / 2, cache);
             Options options = new Options().setCreateIfMissing(true)
                     .setCompactionStyle(CompactionStyle.UNIVERSAL).setWriteBufferSize(16L << 20)
                     .setMaxWriteBufferNumber(3).setCompressionType(CompressionType.NO_COMPRESSION);
             WriteOptions noWal = new WriteOptions().setDisableWAL(true)) {
            BoundedMemoryRocksDbConfig.cacheIndexAndFilterBlocks(table, cache, layout == Layout.PARTITIONED);
            options.setTableFormatConfig(table).setWriteBufferManager(writeBuffers);
            final double[] perBlock = new double[blocks];
            try (RocksDB db = RocksDB.open(options, dir.toString())) {
                final SplittableRandom random = new SplittableRandom(seed);
                final long start = 1_700_000_000_000L;
                long event = 0;
                for (int b = 0; b < blocks; b++) {
                    final long t0 = System.nanoTime();
                    for (int i = 0; i < BLOCK; i++, event++) {
                        final Bytes id = Bytes.wrap(Deduplicator.key("u" + random.nextInt(USERS),
                                new UUID(random.nextLong(), random.nextLong()).toString()).getBytes(StandardCharsets.UTF_8));
                        final long time = start + event;
                        if (db.get(windowKey(id, time)) != null || db.get(windowKey(id, time - DAY_MS)) != null) {
                            throw new IllegalStateException("A random event id was found in the store: broken key layout");
                        }
                        db.put(noWal, windowKey(id, time), ByteBuffer.allocate(Long.BYTES).putLong(time).array());
                    }
                    perBlock[b] = (System.nanoTime() - t0) / 1e3 / BLOCK;
                }
            } finally {
                try (var files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
                }
            }
            return perBlock;
        }
    }

    /** The bytes Kafka Streams' window store writes for a key at a time (sequence number 0: no duplicates kept). */
    private static byte[] windowKey(final Bytes id, final long time) {
        return WindowKeySchema.toStoreKeyBinary(id, time, 0).get();
    }

    private static double median(final double[] values) {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double[] round(final double[] values) {
        return Arrays.stream(values).map(v -> Math.round(v * 10) / 10.0).toArray();
    }
}
