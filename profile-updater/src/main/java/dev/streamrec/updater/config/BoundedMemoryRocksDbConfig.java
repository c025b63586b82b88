package dev.streamrec.updater.config;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Bounds RocksDB's off-heap memory across every store of the process: one LRU block cache and one
 * write-buffer manager that charges memtables to that cache, shared by all stores, with index and
 * filter blocks counted in the cache too (the recipe of Kafka Streams' memory-management guide).
 * Without it each store gets its own cache and memtables, and memory grows with the number of
 * partitions.
 *
 * <p>Index and filter blocks in the cache must not be evicted while they are read. RocksDB
 * splits an LRU cache into up to 64 shards by default (a 64 MiB cache into 1 MiB shards), and a
 * block bigger than its shard is evicted as soon as it is released: once a store's file held
 * about a million dedupe keys, its filter block outgrew a 1 MiB shard and every lookup read it
 * from the file again. Measured with dedupe-store-shaped keys, two lookups that miss and a put per
 * event ({@code bench}'s {@code FilterBlockBenchmark}, 64 MiB cache, medians of 3 runs): 12-19 µs
 * per event up to 750,000 keys, then 68-89 µs (103-155 in another set of runs); with 16 MiB
 * shards 11-16 µs throughout, up to 1.5 million keys. So the cache has shards of at least
 * {@value #MIN_SHARD_BYTES} bytes ({@link #newCache}): a shard holds the filter block of a file
 * of ten million dedupe keys (about 12 MiB at Kafka Streams' 10 bits per key), where compaction
 * left files of about a million.
 *
 * <p>Stores named in {@link #PARTITIONED_INDEX_STORES} ({@code UpdaterConfig} names the dedupe
 * store; set {@code kafka.streamrec.rocksdb.partitioned.index.stores} to change that, empty for
 * none) get <em>partitioned</em> index and filter blocks (a two-level index, filters cut into
 * metadata-block-sized pieces, only the top levels pinned; RocksDB's wiki, "Partitioned
 * Index/Filters"), for a store whose filters outgrow the whole cache: the dedupe store grows
 * with the event rate times its window (with the 24 h default, over a billion keys in its 72 h
 * retention at 5,000 events/s), and then every lookup reads whole filter blocks from the files
 * where partitions read 4 KiB. Measured (same benchmark, 16 MiB cache, one run to 20 million
 * keys): whole blocks 8-12 µs per event up to 7.5 million keys, then 31 at 10 million, 100-300
 * from 13 million on, 137 at 20 million; partitioned 9-18 µs up to 10 million and 13-33 (18 at
 * the end) thereafter. The price while the filters fit is a few µs per event: 13-21 against
 * 11-16 at 64 MiB, 11-24 against 11-18 at 256 MiB, 10-18 against 8-12 at 16 MiB, and in a full
 * end-to-end report with the dedupe store partitioned its lookups took 7.5 % of the stream
 * threads' samples at 5,000 events/s against 4.7 % (about 7 µs more per event on that slower
 * machine); on the fifteenth session's faster machine three interleaved pairs of 300k-event
 * end-to-end runs showed no difference outside the noise (0.16-0.19 against 0.16-0.17 ms of CPU
 * per event). At the updater's 256 MiB the cliff would come at roughly 16 times the keys, after
 * several hours at 5,000 events/s: a store that grows with time pays the small price rather than
 * fall off the cliff. Stores that grow with users or items, which the cache is sized for, keep
 * whole blocks.
 *
 * <p>Sizes come from {@link #BLOCK_CACHE_BYTES} and {@link #WRITE_BUFFER_BYTES} in the Streams
 * configuration; the shared objects are made on first use and live as long as the JVM, as they
 * must outlive every store that uses them.
 *
 * <p>Stores named in {@link #MEMTABLE_FILTER_STORES} also get a whole-key Bloom filter on their
 * memtables. Point lookups that miss (a new event id in the dedupe store's buckets) otherwise
 * walk the memtable's skip list, a chain of cache misses through up to
 * {@code write_buffer_size} of entries: in the end-to-end profile that search was nearly all the
 * dedupe check's time. SST files already carry Bloom filters (Kafka Streams' default table
 * config). The filter is {@value #MEMTABLE_FILTER_RATIO} of the memtable's size, about 17 bits
 * per entry of the dedupe store's ~100-byte entries; only named stores pay for it, as a filter
 * does nothing for lookups that hit or for the range and prefix scans other stores make.
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {
    public static final String BLOCK_CACHE_BYTES = "streamrec.rocksdb.block.cache.bytes";
    public static final String WRITE_BUFFER_BYTES = "streamrec.rocksdb.write.buffer.bytes";
    /** Comma-separated store names whose memtables get a whole-key Bloom filter (see the class comment). */
    /**
     * The application's own keys that set {@link #BLOCK_CACHE_BYTES} and {@link #WRITE_BUFFER_BYTES},
     * by the Streams property each sets: both applications refuse a {@code kafka.} pass-through of
     * those properties (Settings#requireNoPassThroughShadowing).
     */
    public static final Map<String, String> OWN_KEY_BY_PROPERTY = Map.of(
            BLOCK_CACHE_BYTES, "rocksdb.block.cache.bytes", WRITE_BUFFER_BYTES, "rocksdb.write.buffer.bytes");
    public static final String MEMTABLE_FILTER_STORES = "streamrec.rocksdb.memtable.filter.stores";
    /** Comma-separated store names whose index and filter blocks are partitioned (see the class comment). */
    public static final String PARTITIONED_INDEX_STORES = "streamrec.rocksdb.partitioned.index.stores";
    static final double MEMTABLE_FILTER_RATIO = 0.02;
    /** The smallest cache shard (see the class comment). */
    static final long MIN_SHARD_BYTES = 16L << 20;
    /** RocksDB's own maximum: 64 shards. */
    private static final int MAX_SHARD_BITS = 6;

    private static Cache sharedCache;
    private static WriteBufferManager sharedWriteBuffers;

    private static synchronized void initialise(final long cacheBytes, final long writeBufferBytes) {
        if (sharedCache == null) {
            sharedCache = newCache(cacheBytes);
            sharedWriteBuffers = new WriteBufferManager(writeBufferBytes, sharedCache);
        }
    }

    /**
     * Memtables are charged to the block cache (the write-buffer manager below), which makes the
     * cache the bound on RocksDB's off-heap memory. A larger write-buffer budget breaks that bound
     * (the cache is not strict: memtables overfill it) and leaves the cache to memtables, every data,
     * index and filter block evicted. Both applications check their two keys with it at start.
     *
     * @throws ConfigException naming {@code rocksdb.write.buffer.bytes} and {@code rocksdb.block.cache.bytes}
     */
    public static void requireWriteBuffersWithinBlockCache(final long blockCacheBytes, final long writeBufferBytes) {
        if (writeBufferBytes > blockCacheBytes) {
            throw new ConfigException("rocksdb.write.buffer.bytes", writeBufferBytes, "must not exceed rocksdb.block.cache.bytes ("
                    + blockCacheBytes + "): memtables are charged to the block cache, the bound on RocksDB's off-heap"
                    + " memory; raise rocksdb.block.cache.bytes or lower rocksdb.write.buffer.bytes");
        }
    }

    @Override
    public void setConfig(final String storeName, final Options options, final Map<String, Object> configs) {
        initialise(longOf(configs, BLOCK_CACHE_BYTES, 64L << 20), longOf(configs, WRITE_BUFFER_BYTES, 32L << 20));
        final BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        cacheIndexAndFilterBlocks(table, sharedCache, isNamed(storeName, configs.get(PARTITIONED_INDEX_STORES)));
        options.setWriteBufferManager(sharedWriteBuffers);
        options.setTableFormatConfig(table);
        configureMemtableFilter(storeName, options, configs);
    }

    /**
     * Puts a table's data, index and filter blocks in {@code cache}, index and filters partitioned
     * when asked (see the class comment). Public for the benchmark, which gives each run a cache of
     * its own.
     */
    public static void cacheIndexAndFilterBlocks(final BlockBasedTableConfig table, final Cache cache, final boolean partitioned) {
        table.setBlockCache(cache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        if (partitioned) {
            table.setIndexType(IndexType.kTwoLevelIndexSearch);
            table.setPartitionFilters(true);
            table.setPinTopLevelIndexAndFilter(true);
        }
    }

    /**
     * A cache like the one every store shares: index and filter blocks in a high-priority pool, and
     * as many shards as RocksDB would make (up to 64) while each stays at least
     * {@value #MIN_SHARD_BYTES} bytes.
     */
    public static Cache newCache(final long bytes) {
        // High-priority pool for index and filter blocks so data blocks cannot evict them.
        return new LRUCache(bytes, shardBits(bytes), false, 0.1);
    }

    static int shardBits(final long cacheBytes) {
        int bits = 0;
        while (bits < MAX_SHARD_BITS && cacheBytes >> (bits + 1) >= MIN_SHARD_BYTES) {
            bits++;
        }
        return bits;
    }

    /** The per-store part of {@link #setConfig}: it leaves the process-wide cache alone, so tests can call it. */
    static void configureMemtableFilter(final String storeName, final Options options, final Map<String, Object> configs) {
        if (isNamed(storeName, configs.get(MEMTABLE_FILTER_STORES))) {
            options.setMemtableWholeKeyFiltering(true);
            options.setMemtablePrefixBloomSizeRatio(MEMTABLE_FILTER_RATIO);
        }
    }

    /**
     * Whether the store, or a segment of it (a window store's segments are RocksDB instances named
     * {@code store.segmentId}), is one of the named stores.
     */
    static boolean isNamed(final String storeName, final Object namedStores) {
        if (namedStores == null) {
            return false;
        }
        for (final String name : namedStores.toString().split(",")) {
            final String store = name.strip();
            if (!store.isEmpty() && (storeName.equals(store) || storeName.startsWith(store + "."))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close(final String storeName, final Options options) {
        // The cache and write-buffer manager are shared; closing them here would break other stores.
    }

    private static long longOf(final Map<String, Object> configs, final String key, final long fallback) {
        final Object value = configs.get(key);
        return value == null ? fallback : Long.parseLong(value.toString());
    }
}
