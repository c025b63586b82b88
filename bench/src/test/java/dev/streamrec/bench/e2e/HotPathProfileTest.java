package dev.streamrec.bench.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The profile summary reads async-profiler's collapsed stacks as the report describes them. */
class HotPathProfileTest {
    private static final String STREAM = "[app-1a2b-StreamThread-1 tid=41]";
    private static final String COLLAPSED = String.join("\n",
            STREAM + ";org/apache/kafka/streams/processor/internals/StreamThread.run;"
                    + "dev/streamrec/updater/learn/UserStageProcessor.seen;org/rocksdb/RocksDB.get;rocksdb::DBImpl::Get 30",
            STREAM + ";org/apache/kafka/streams/processor/internals/StreamThread.run;"
                    + "dev/streamrec/updater/learn/UserStageProcessor.refresh;dev/streamrec/updater/ranking/TopNScorer.scoreBatch 20",
            STREAM + ";org/apache/kafka/streams/processor/internals/StreamThread.run;"
                    + "org/apache/kafka/streams/processor/internals/RecordCollectorImpl.send;"
                    + "dev/streamrec/serde/AvroSerializer.serialize;org/apache/avro/io/BinaryEncoder.writeFloat_[j] 10",
            STREAM + ";org/apache/kafka/streams/processor/internals/StreamThread.run;"
                    + "dev/streamrec/updater/profile/ProfileProcessor.process;org/rocksdb/RocksDB.put 5",
            "[kafka-producer-network-thread | app-1a2b-StreamThread-1-producer tid=42];java/lang/Thread.run 7",
            "[C2 CompilerThre tid=9];CompileBroker::compiler_thread_loop 4",
            "[data-plane-kafka-request-handler-0 tid=50];kafka/server/KafkaApis.handle 3");

    @Test
    void groupsThreadsAndGivesEachStreamSampleToItsInnermostActivity() {
        final HotPathProfile.Summary summary = HotPathProfile.summarise("test", COLLAPSED, 10);

        assertThat(summary.samples()).isEqualTo(79);
        assertThat(summary.byThreadGroup())
                .containsEntry(HotPathProfile.STREAM_THREADS, 65L)
                .containsEntry("producer I/O threads (app and harness)", 7L) // named after its stream thread, not one
                .containsEntry(ThreadCpu.JIT, 4L)
                .containsEntry("broker request handlers", 3L);
        assertThat(summary.streamActivities())
                .containsEntry("RocksDB reads (get, prefix and range scans)", 30L)
                .containsEntry("top-N scoring (recommendation lists, quality test)", 20L)
                .containsEntry("Avro serialisation", 10L)
                .containsEntry("RocksDB writes (put, delete, flush of memtables)", 5L);
        assertThat(summary.streamActivities().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(65L);
        assertThat(summary.streamProjectFrames())
                .containsEntry("UserStageProcessor.seen", 30L)
                .containsEntry("TopNScorer.scoreBatch", 20L)
                .containsEntry("AvroSerializer.serialize", 10L);
        assertThat(summary.streamLeafFrames()).containsEntry("BinaryEncoder.writeFloat", 10L)
                .containsEntry("rocksdb::DBImpl::Get", 30L);
        assertThat(summary.streamLeafFrames().keySet().iterator().next()).isEqualTo("rocksdb::DBImpl::Get");
    }
}
