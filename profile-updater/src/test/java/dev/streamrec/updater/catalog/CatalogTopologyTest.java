package dev.streamrec.updater.catalog;

import static dev.streamrec.updater.TopologyTestSupport.START;
import static dev.streamrec.updater.TopologyTestSupport.click;
import static org.assertj.core.api.Assertions.assertThat;

import dev.streamrec.schemas.Item;
import dev.streamrec.updater.TopologyTestSupport;
import dev.streamrec.updater.ranking.ItemFactorMatrix;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The catalogue through the real topology: {@code Item.price} is optional in the schema. */
class CatalogTopologyTest {
    private static Item withoutPrice(final String itemId, final boolean active) {
        return Item.newBuilder().setItemId(itemId).setTitle(itemId).setCategories(List.of("garden"))
                .setActive(active).setUpdatedAt(START).build(); // price left at its default, null
    }

    @Test
    void anItemWithoutAPriceBecomesACandidateIsJoinedAndCanBeWithdrawn() {
        try (TopologyTestSupport fx = new TopologyTestSupport()) {
            fx.catalog.pipeInput("np", withoutPrice("np", true));
            final ItemFactorMatrix matrix = fx.model.matrix();
            final int row = matrix.rowOf("np");
            assertThat(row).as("a new item is a candidate at once").isGreaterThanOrEqualTo(0);
            assertThat(matrix.isActive(row)).isTrue();
            assertThat(fx.model.catalog().get("np").price()).isNull();

            fx.clicks.pipeInput("u1", click("e1", "u1", "np", START), START);
            assertThat(fx.latestProfiles().get("u1").getCategoryAffinities())
                    .extracting(a -> a.getCategory()).containsExactly("garden");

            fx.catalog.pipeInput("np", withoutPrice("np", false));
            assertThat(matrix.isActive(matrix.rowOf("np"))).as("a withdrawn item is no longer scored").isFalse();
        }
    }
}
