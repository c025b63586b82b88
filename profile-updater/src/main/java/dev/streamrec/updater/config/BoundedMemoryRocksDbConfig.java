package dev.streamrec.updater.config;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
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
    public static final String MEMTABLE_FILTER_STORES = "streamrec.rocksdb.memtable.filter.stores";
    static final double MEMTABLE_FILTER_RATIO = 0.02;

    private static Cache sharedCache;
    private static WriteBufferManager sharedWriteBuffers;

    private static synchronized void initialise(final long cacheBytes, final long writeBufferBytes) {
        if (sharedCache == null) {
            // High-priority pool for index and filter blocks so data blocks cannot evict them.
            sharedCache = new LRUCache(cacheBytes, -1, false, 0.1);
            sharedWriteBuffers = new WriteBufferManager(writeBufferBytes, sharedCache);
        }
    }

    @Override
    public void setConfig(final String storeName, final Options options, final Map<String, Object> configs) {
        initialise(longOf(configs, BLOCK_CACHE_BYTES, 64L << 20), longOf(configs, WRITE_BUFFER_BYTES, 32L << 20));
        final BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(sharedCache);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(sharedWriteBuffers);
        options.setTableFormatConfig(table);
        configureMemtableFilter(storeName, options, configs);
    }

    /** The per-store part of {@link #setConfig}: it leaves the process-wide cache alone, so tests can call it. */
    static void configureMemtableFilter(final String storeName, final Options options, final Map<String, Object> configs) {
        if (wantsMemtableFilter(storeName, configs.get(MEMTABLE_FILTER_STORES))) {
            options.setMemtableWholeKeyFiltering(true);
            options.setMemtablePrefixBloomSizeRatio(MEMTABLE_FILTER_RATIO);
        }
    }

    /**
     * Whether the store, or a segment of it (a window store's segments are RocksDB instances named
     * {@code store.segmentId}), is one of the named stores.
     */
    static boolean wantsMemtableFilter(final String storeName, final Object namedStores) {
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
