package dev.streamrec.updater;

import static dev.streamrec.updater.TopologyFixture.START;
import static dev.streamrec.updater.TopologyFixture.click;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.UserProfile;
import java.time.Instant;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Profiles through the real topology: the anomaly flag, and one profile record per accepted event. */
class ProfileTopologyTest {

    @Test
    void aClickBurstIsFlaggedAndANormalUserIsNot() {
        try (TopologyFixture fx = new TopologyFixture()) {
            final SplittableRandom random = new SplittableRandom(7);
            final Instant base = START.minusSeconds(10 * 3600); // 60 gaps of ~5 min stay in the past
            // A normal user: clicks minutes apart, Poisson-like.
            long t = base.toEpochMilli();
            for (int i = 0; i < 60; i++) {
                t += (long) (-Math.log(1 - random.nextDouble()) * 300_000);
                fx.clicks.pipeInput("human", click("h" + i, "human", "i" + random.nextInt(50), Instant.ofEpochMilli(t)), START);
            }
            // A bot: 40 clicks in four seconds.
            for (int i = 0; i < 40; i++) {
                fx.clicks.pipeInput("bot", click("b" + i, "bot", "i" + i, base.plusMillis(100L * i)), START);
            }
            final Map<String, UserProfile> profiles = fx.latestProfiles();
            assertThat(profiles.get("human").getAnomalous()).isFalse();
            assertThat(profiles.get("human").getClickCount()).isEqualTo(60);
            assertThat(profiles.get("bot").getAnomalous()).isTrue();
            assertThat(profiles.get("bot").getAnomalyReason()).startsWith("burst");
            assertThat(profiles.get("bot").getClickCount()).isEqualTo(40); // still counted
        }
    }

    @Test
    void everyAcceptedEventPublishesTheChangedProfile() {
        try (TopologyFixture fx = new TopologyFixture()) {
            fx.clicks.pipeInput("u", click("1", "u", "a", START), START);
            fx.clicks.pipeInput("u", click("2", "u", "b", START), START);
            fx.clicks.pipeInput("u", click("2", "u", "b", START), START); // duplicate: no new profile
            assertThat(fx.profiles.readValuesToList()).extracting(UserProfile::getClickCount).containsExactly(1L, 2L);
        }
    }
}
