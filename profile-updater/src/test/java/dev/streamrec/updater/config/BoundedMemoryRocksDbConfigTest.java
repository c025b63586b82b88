package dev.streamrec.updater.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.updater.clean.Deduplicator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.internals.WindowKeySchema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Cache;
import org.rocksdb.CompactRangeOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.Statistics;
import org.rocksdb.TickerType;
import org.rocksdb.WriteOptions;

class BoundedMemoryRocksDbConfigTest {
    static {
        RocksDB.loadLibrary();
    }

    // Only the per-store part is called: setConfig would size the process-wide cache and write
    // buffers on first use, and every later test's stores in this JVM would share them.
    private static final Map<String, Object> CONFIGS = Map.of(
            BoundedMemoryRocksDbConfig.MEMTABLE_FILTER_STORES, "dedupe-store, user-items-store");

    @Test
    void namedStoresAndTheirSegmentsGetAMemtableFilterOthersDoNot() {
        try (Options dedupeSegment = configured("dedupe-store.1732752000000");
             Options userItems = configured("user-items-store");
             Options profiles = configured("profile-store");
             Options lookalike = configured("dedupe-store-archive")) {
            assertThat(dedupeSegment.memtableWholeKeyFiltering()).isTrue();
            assertThat(dedupeSegment.memtablePrefixBloomSizeRatio()).isEqualTo(BoundedMemoryRocksDbConfig.MEMTABLE_FILTER_RATIO);
            assertThat(userItems.memtableWholeKeyFiltering()).isTrue();
            assertThat(profiles.memtableWholeKeyFiltering()).isFalse();
            assertThat(profiles.memtablePrefixBloomSizeRatio()).isZero();
            assertThat(lookalike.memtableWholeKeyFiltering()).isFalse();
        }
    }

    @Test
    void withoutTheKeyNoStoreGetsAFilter() {
        assertThat(BoundedMemoryRocksDbConfig.isNamed("dedupe-store", null)).isFalse();
        assertThat(BoundedMemoryRocksDbConfig.isNamed("dedupe-store", " , ")).isFalse();
    }

    /**
     * The failure the cache's shard size and the partitioned layout each prevent: a store whose
     * single SST file has a filter block bigger than a shard of the cache. RocksDB splits a 2 MiB
     * cache into four 512 KiB shards, and 600,000 dedupe-shaped keys make a filter block of about
     * 700 KiB: with whole blocks every lookup of a missing key reads that block into the cache
     * again (the control). With one shard ({@code newCache}) the block stays; partitioned, a
     * lookup reads at most a few small filter partitions.
     */
    @Test
    void lookupsDoNotReadAWholeFilterBlockIntoTheCacheEachTime(@TempDir final Path dir) throws RocksDBException {
        final long shardBytes = (2L << 20) >> 2;
        try (Cache fourShards = new LRUCache(2 << 20, 2, false, 0.1);
             Cache ours = BoundedMemoryRocksDbConfig.newCache(2 << 20);
             Cache fourShardsAgain = new LRUCache(2 << 20, 2, false, 0.1)) {
            final long whole = filterBytesReadPerLookup(dir.resolve("whole"), fourShards, false);
            final long wholeOurCache = filterBytesReadPerLookup(dir.resolve("whole-our-cache"), ours, false);
            final long partitioned = filterBytesReadPerLookup(dir.resolve("partitioned"), fourShardsAgain, true);

            assertThat(whole).as("control: a whole filter block bigger than a %,d-byte shard", shardBytes)
                    .isGreaterThan(500_000);
            assertThat(wholeOurCache).isLessThan(16_384);
            assertThat(partitioned).isLessThan(16_384);
        }
    }

    @Test
    void cacheShardsAreAtLeastSixteenMebibytesAndAtMostSixtyFour() {
        assertThat(BoundedMemoryRocksDbConfig.shardBits(1L << 20)).isZero();
        assertThat(BoundedMemoryRocksDbConfig.shardBits(16L << 20)).isZero();
        assertThat(BoundedMemoryRocksDbConfig.shardBits(32L << 20)).isEqualTo(1);
        assertThat(BoundedMemoryRocksDbConfig.shardBits(64L << 20)).isEqualTo(2);
        assertThat(BoundedMemoryRocksDbConfig.shardBits(256L << 20)).isEqualTo(4);
        assertThat(BoundedMemoryRocksDbConfig.shardBits(100L << 30)).isEqualTo(6);
    }

    @Test
    void onlyNamedStoresGetPartitionedIndexAndFilters() {
        final BlockBasedTableConfig partitioned = new BlockBasedTableConfig();
        final BlockBasedTableConfig whole = new BlockBasedTableConfig();
        try (Cache cache = BoundedMemoryRocksDbConfig.newCache(1 << 20)) {
            BoundedMemoryRocksDbConfig.cacheIndexAndFilterBlocks(partitioned, cache, true);
            BoundedMemoryRocksDbConfig.cacheIndexAndFilterBlocks(whole, cache, false);
        }
        assertThat(partitioned.indexType()).isEqualTo(IndexType.kTwoLevelIndexSearch);
        assertThat(partitioned.partitionFilters()).isTrue();
        assertThat(partitioned.cacheIndexAndFilterBlocks()).isTrue();
        assertThat(whole.indexType()).isEqualTo(IndexType.kBinarySearch);
        assertThat(whole.partitionFilters()).isFalse();
        assertThat(whole.cacheIndexAndFilterBlocks()).isTrue();
    }

    /** Bytes of filter blocks added to the cache per lookup of a missing key, after 600,000 keys. */
    private static long filterBytesReadPerLookup(final Path dir, final Cache cache, final boolean partitioned)
            throws RocksDBException {
        final int keys = 600_000;
        final int lookups = 200;
        final BlockBasedTableConfig table = new BlockBasedTableConfig().setFilterPolicy(new BloomFilter());
        try (Statistics statistics = new Statistics();
             Options options = new Options().setCreateIfMissing(true).setStatistics(statistics);
             WriteOptions noWal = new WriteOptions().setDisableWAL(true)) {
            BoundedMemoryRocksDbConfig.cacheIndexAndFilterBlocks(table, cache, partitioned);
            options.setTableFormatConfig(table);
            try (RocksDB db = RocksDB.open(options, dir.toString())) {
                final SplittableRandom random = new SplittableRandom(7);
                for (int i = 0; i < keys; i++) {
                    db.put(noWal, dedupeShapedKey(random, i), new byte[8]);
                }
                try (FlushOptions flush = new FlushOptions().setWaitForFlush(true);
                     CompactRangeOptions compact = new CompactRangeOptions()) {
                    db.flush(flush);
                    db.compactRange(null, null, null, compact); // one file, one filter
                }
                final long before = statistics.getTickerCount(TickerType.BLOCK_CACHE_FILTER_BYTES_INSERT);
                for (int i = 0; i < lookups; i++) {
                    assertThat(db.get(dedupeShapedKey(random, keys + i))).isNull();
                }
                return (statistics.getTickerCount(TickerType.BLOCK_CACHE_FILTER_BYTES_INSERT) - before) / lookups;
            }
        }
    }

    /** A dedupe-store key as the window store writes it: the event's key, its time, sequence number 0. */
    private static byte[] dedupeShapedKey(final SplittableRandom random, final long time) {
        final String key = Deduplicator.key("u" + random.nextInt(50_000), new UUID(random.nextLong(), random.nextLong()).toString());
        return WindowKeySchema.toStoreKeyBinary(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)), time, 0).get();
    }

    private static Options configured(final String storeName) {
        final Options options = new Options();
        BoundedMemoryRocksDbConfig.configureMemtableFilter(storeName, options, CONFIGS);
        return options;
    }
}
