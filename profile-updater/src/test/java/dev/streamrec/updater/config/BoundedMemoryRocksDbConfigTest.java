package dev.streamrec.updater.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rocksdb.Options;

class BoundedMemoryRocksDbConfigTest {
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
        assertThat(BoundedMemoryRocksDbConfig.wantsMemtableFilter("dedupe-store", null)).isFalse();
        assertThat(BoundedMemoryRocksDbConfig.wantsMemtableFilter("dedupe-store", " , ")).isFalse();
    }

    private static Options configured(final String storeName) {
        final Options options = new Options();
        BoundedMemoryRocksDbConfig.configureMemtableFilter(storeName, options, CONFIGS);
        return options;
    }
}
