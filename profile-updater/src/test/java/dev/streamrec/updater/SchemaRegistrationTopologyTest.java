package dev.streamrec.updater;

import static dev.streamrec.updater.TopologyTestSupport.START;
import static dev.streamrec.updater.TopologyTestSupport.click;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.schemas.ModelMetrics;
import dev.streamrec.schemas.PurchaseEvent;
import dev.streamrec.schemas.RatingEvent;
import dev.streamrec.schemas.Recommendations;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.serde.InMemorySchemaRegistry;
import dev.streamrec.serde.SchemaRegistryException;
import java.time.Instant;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * With {@code serde.auto.register.schemas=false} an operator registers the subjects of the public
 * topics and nothing else: the updater must run on those, and stop, not dead-letter every event,
 * when the registry refuses one of them.
 */
class SchemaRegistrationTopologyTest {
    private static final Instant T = START.minusSeconds(60);
    private static final Map<String, String> AUTO_REGISTRATION_OFF = Map.of("serde.auto.register.schemas", "false");

    /** The value subjects of the topics the README lists, as an operator pre-registers them. */
    private static final Map<String, Schema> PUBLIC_SUBJECTS = Map.of(
            "events.clicks-value", ClickEvent.getClassSchema(),
            "events.purchases-value", PurchaseEvent.getClassSchema(),
            "events.ratings-value", RatingEvent.getClassSchema(),
            "catalog.items-value", Item.getClassSchema(),
            "model.item-factors-value", ItemFactors.getClassSchema(),
            "profiles.users-value", UserProfile.getClassSchema(),
            "recommendations.users-value", Recommendations.getClassSchema(),
            "model.metrics-value", ModelMetrics.getClassSchema());

    @Test
    void withAutoRegistrationOffThePublicSubjectsAreAllTheUpdaterNeeds() {
        try (TopologyTestSupport fx = new TopologyTestSupport(AUTO_REGISTRATION_OFF)) {
            final InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(fx.scope);
            PUBLIC_SUBJECTS.forEach(registry::register);

            fx.clicks.pipeInput("u1", click("e1", "u1", "i1", T), T);
            // Keyed by another user: through the rekeyed-events repartition topic.
            fx.clicks.pipeInput("not-u2", click("e2", "u2", "i2", T), T);

            assertThat(fx.deadLetters.readRecordsToList()).isEmpty();
            assertThat(fx.latestProfiles()).containsOnlyKeys("u1", "u2");
        }
    }

    @Test
    void aSubjectTheRegistryDoesNotHaveStopsTheUpdaterInsteadOfDeadLetteringEveryEvent() {
        try (TopologyTestSupport fx = new TopologyTestSupport(AUTO_REGISTRATION_OFF)) {
            final InMemorySchemaRegistry registry = InMemorySchemaRegistry.forScope(fx.scope);
            PUBLIC_SUBJECTS.forEach((subject, schema) -> {
                if (!subject.equals("profiles.users-value")) {
                    registry.register(subject, schema);
                }
            });

            assertThatThrownBy(() -> fx.clicks.pipeInput("u1", click("e1", "u1", "i1", T), T))
                    .satisfies(failure -> assertThat(SchemaRegistryException.in(failure))
                            .as("registry failure in the cause chain").isNotNull()
                            .extracting(SchemaRegistryException::subject).isEqualTo("profiles.users-value"));
            assertThat(fx.deadLetters.readRecordsToList()).isEmpty();
        }
    }
}
