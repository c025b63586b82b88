package dev.streamrec.updater.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.schemas.Item;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogViewTest {
    private final CatalogView view = new CatalogView();

    private static Item item(final String id, final double price, final List<String> categories) {
        return Item.newBuilder().setItemId(id).setTitle(id).setCategories(categories).setPrice(price)
                .setActive(true).setUpdatedAt(Instant.EPOCH).build();
    }

    @Test
    void followsEveryEntryAsTheStoreSeesIt() {
        assertThat(view.get("i1")).isNull();
        assertThat(view.categoriesOf("i1")).isEmpty();

        view.onCatalogEntry("i1", item("i1", 9.5, List.of("books")));
        assertThat(view.get("i1")).isEqualTo(new CatalogView.Entry(List.of("books"), 9.5));

        view.onCatalogEntry("i1", item("i1", 7.0, List.of("books", "sale"))); // replaced whole
        assertThat(view.get("i1")).isEqualTo(new CatalogView.Entry(List.of("books", "sale"), 7.0));
        assertThat(view.categoriesOf("i1")).containsExactly("books", "sale");

        view.onCatalogEntry("i1", null); // tombstone: unknown again, as in the store
        assertThat(view.get("i1")).isNull();
        assertThat(view.categoriesOf("i1")).isEmpty();
    }

    @Test
    void anItemWithoutAPriceHasAnEntryWithoutOne() {
        final Item noPrice = Item.newBuilder().setItemId("i3").setTitle("i3").setCategories(List.of("toys"))
                .setActive(true).setUpdatedAt(Instant.EPOCH).build(); // price is optional in the schema
        view.onCatalogEntry("i3", noPrice);
        assertThat(view.get("i3")).isEqualTo(new CatalogView.Entry(List.of("toys"), null));
    }

    @Test
    void anEntryIsACopyNoLaterChangeOfTheRecordCanReachIt() {
        final List<String> categories = new ArrayList<>(List.of("garden"));
        view.onCatalogEntry("i2", item("i2", 3.0, categories));
        categories.add("tools"); // the decoded record's list is mutable; the entry handed to every event must not be

        assertThat(view.categoriesOf("i2")).containsExactly("garden");
        assertThatThrownBy(() -> view.categoriesOf("i2").add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
