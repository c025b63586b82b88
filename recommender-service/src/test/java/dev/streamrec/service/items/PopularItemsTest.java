package dev.streamrec.service.items;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PopularItemsTest {

    @Test
    void rankingIsRebuiltAtMostOncePerRefreshInterval() {
        final AtomicLong now = new AtomicLong(1_000);
        final PopularItems popular = new PopularItems(100, now::get);
        popular.put("a", 1, 0);
        assertThat(popular.top(5)).extracting(ScoredItem::itemId).containsExactly("a");
        popular.put("b", 2, 0);
        now.addAndGet(50);
        assertThat(popular.top(5)).extracting(ScoredItem::itemId).containsExactly("a");
        now.addAndGet(50);
        assertThat(popular.top(5)).extracting(ScoredItem::itemId).containsExactly("b", "a");
    }
}
