package dev.streamrec.demo.gen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.streamrec.schemas.Item;
import dev.streamrec.schemas.RatingEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MovieLensTest {
    private static final long NOW = 1_800_000_000_000L;

    @Test
    void readsUDataAndRatingsDatInTimestampOrder(@TempDir final Path dir) throws Exception {
        final Path uData = Files.writeString(dir.resolve("u.data"), "196\t242\t3\t881250949\n186\t302\t3\t891717742\n"
                + "22\t377\t1\t878887116\n");
        assertThat(MovieLensFile.readRatings(uData)).containsExactly(
                new MovieLensRating("22", "377", 1, 878887116),
                new MovieLensRating("196", "242", 3, 881250949),
                new MovieLensRating("186", "302", 3, 891717742));

        final Path dat = Files.writeString(dir.resolve("ratings.dat"), "1::1193::5::978300760\n1::661::3::978302109\n");
        assertThat(MovieLensFile.readRatings(dat)).extracting(MovieLensRating::itemId).containsExactly("1193", "661");
    }

    @Test
    void aMalformedLineIsReportedWithItsNumber(@TempDir final Path dir) throws Exception {
        final Path file = Files.writeString(dir.resolve("u.data"), "1\t2\t3\t4\n1\t2\tthree\t4\n");
        assertThatThrownBy(() -> MovieLensFile.readRatings(file)).hasMessageContaining("line 2");
    }

    @Test
    void emptyIdsAndNonFiniteRatingsAreMalformedLines(@TempDir final Path dir) throws Exception {
        final Path emptyItem = Files.writeString(dir.resolve("a.dat"), "1::10::4::100\n2::::3::101\n");
        assertThatThrownBy(() -> MovieLensFile.readRatings(emptyItem)).hasMessageContaining("line 2")
                .hasMessageContaining("ids must not be empty");
        final Path nan = Files.writeString(dir.resolve("u.data"), "1\t10\t4\t100\n1\t11\t3\t101\n2\t12\tNaN\t102\n");
        assertThatThrownBy(() -> MovieLensFile.readRatings(nan)).hasMessageContaining("line 3")
                .hasMessageContaining("finite");
    }

    @Test
    void theCatalogComesFromUItemWithGenreNames(@TempDir final Path dir) throws Exception {
        Files.writeString(dir.resolve("u.genre"), "unknown|0\nAction|1\nComedy|2\n\n");
        Files.writeString(dir.resolve("u.item"), "1|Toy Story (1995)|01-Jan-1995||http://x|0|0|1\n"
                + "2|GoldenEye (1995)|01-Jan-1995||http://x|0|1|1\n", StandardCharsets.ISO_8859_1);
        final List<Item> catalog = MovieLensFile.readCatalogBeside(dir.resolve("u.data"), NOW);
        assertThat(catalog).extracting(Item::getItemId).containsExactly("1", "2");
        assertThat(catalog.get(0).getCategories()).containsExactly("Comedy");
        assertThat(catalog.get(1).getCategories()).containsExactly("Action", "Comedy");
        assertThat(catalog.get(1).getTitle()).isEqualTo("GoldenEye (1995)");
    }

    @Test
    void noCatalogFileMeansAnEmptyCatalog(@TempDir final Path dir) {
        assertThat(MovieLensFile.readCatalogBeside(dir.resolve("u.data"), NOW)).isEmpty();
    }

    @Test
    void replayKeepsOrderAndProportionalGapsWithEventTimesShiftedToNow() {
        // Dataset seconds 0, 100, 1000; at speed-up 100 they are due at 0 ms, 1000 ms and 10000 ms.
        final List<MovieLensRating> ratings = List.of(new MovieLensRating("u1", "i1", 4, 5_000),
                new MovieLensRating("u2", "i2", 2, 5_100), new MovieLensRating("u1", "i3", 5, 6_000));
        final MovieLensReplay replay = new MovieLensReplay(ratings, List.of(), 100, "test");
        final RecordingSink sink = new RecordingSink();

        assertThat(replay.emitDue(0, NOW, sink)).isTrue();
        assertThat(sink.ratings).hasSize(1);
        assertThat(replay.emitDue(999, NOW + 999, sink)).isTrue();
        assertThat(sink.ratings).hasSize(1);
        // Called late (at 5 s): the second rating carries its scheduled time, 4 s before now.
        assertThat(replay.emitDue(5_000, NOW + 5_000, sink)).isTrue();
        assertThat(sink.ratings).hasSize(2);
        assertThat(sink.ratings.get(1).getEventTime().toEpochMilli()).isEqualTo(NOW + 1_000);
        assertThat(replay.emitDue(10_000, NOW + 10_000, sink)).isFalse();

        assertThat(sink.ratings).extracting(RatingEvent::getItemId).containsExactly("i1", "i2", "i3");
        assertThat(sink.ratings).extracting(RatingEvent::getRating).containsExactly(4.0, 2.0, 5.0);
        assertThat(sink.ratings).allSatisfy(r -> assertThat(r.getEventTime().toEpochMilli()).isBetween(NOW, NOW + 10_000));
    }

    @Test
    void theDefaultSpeedupMakesTheAverageRateTheRequestedOne() {
        final List<MovieLensRating> ratings = List.of(new MovieLensRating("u", "a", 3, 0),
                new MovieLensRating("u", "b", 3, 500_000), new MovieLensRating("u", "c", 3, 1_000_000),
                new MovieLensRating("u", "d", 3, 1_000_000));
        // 4 ratings at 2/s take 2 s; the data spans 1e6 s: speed-up 5e5.
        assertThat(MovieLensReplay.speedupFor(ratings, 2)).isEqualTo(500_000);
    }
}
