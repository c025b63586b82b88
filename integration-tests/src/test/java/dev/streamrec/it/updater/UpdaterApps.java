package dev.streamrec.it.updater;

import dev.streamrec.it.infra.ItEnvironment;
import dev.streamrec.it.infra.UniqueNames;
import dev.streamrec.updater.config.UpdaterConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** Configurations of the profile-updater against the shared test broker and registry, with names of their own. */
final class UpdaterApps {
    private UpdaterApps() {
    }

    /** A configuration whose application id, topics and state directory no other test uses. */
    static UpdaterConfig isolatedConfig(final int partitions, final Map<String, String> overrides) {
        return UpdaterConfig.of(isolatedSettings(partitions, overrides));
    }

    /** The settings behind {@link #isolatedConfig}, for a test that restarts the same application changed. */
    static Map<String, String> isolatedSettings(final int partitions, final Map<String, String> overrides) {
        final String prefix = UniqueNames.unique("upd");
        final Map<String, String> settings = new HashMap<>();
        settings.put("application.id", prefix);
        settings.put("bootstrap.servers", ItEnvironment.kafka().bootstrapServers());
        settings.put("schema.registry.url", ItEnvironment.registry().url());
        try {
            settings.put("state.dir", Files.createDirectories(ItEnvironment.workDir().resolve("state").resolve(prefix)).toString());
        } catch (final IOException e) {
            throw new UncheckedIOException(e);
        }
        for (final String topic : new String[] {"clicks", "purchases", "ratings", "catalog", "dlq", "item.factors",
                "profiles", "recommendations", "metrics"}) {
            settings.put("topic." + topic, prefix + "." + topic);
        }
        settings.put("topics.partitions", String.valueOf(partitions));
        settings.put("kafka.replication.factor", "1");
        settings.putAll(overrides);
        return settings;
    }
}
