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
 */
public final class BoundedMemoryRocksDbConfig implements RocksDBConfigSetter {
    public static final String BLOCK_CACHE_BYTES = "streamrec.rocksdb.block.cache.bytes";
    public static final String WRITE_BUFFER_BYTES = "streamrec.rocksdb.write.buffer.bytes";

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
