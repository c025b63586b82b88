package dev.streamrec.updater.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Options;

class BoundedMemoryRocksDbConfigTest {
    private static final Map<String, Object> CONFIGS = Map.of(
            BoundedMemoryRocksDbConfig.BLOCK_CACHE_BYTES, 8L << 20,
            BoundedMemoryRocksDbConfig.WRITE_BUFFER_BYTES, 4L << 20,
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
        assertThat(BoundedMemoryRocksDbConfig.wantsMemtableFilter("dedupe-store", null)).isFalse();
        assertThat(BoundedMemoryRocksDbConfig.wantsMemtableFilter("dedupe-store", " , ")).isFalse();
    }

    private static Options configured(final String storeName) {
        final Options options = new Options();
        options.setTableFormatConfig(new BlockBasedTableConfig());
        new BoundedMemoryRocksDbConfig().setConfig(storeName, options, CONFIGS);
        return options;
    }
}
