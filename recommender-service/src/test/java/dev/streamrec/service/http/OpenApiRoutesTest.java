package dev.streamrec.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The hand-written {@code openapi.yaml} describes exactly the routes the server registers. */
class OpenApiRoutesTest {
    private static final Pattern PATH_KEY = Pattern.compile("(?m)^  (/\\S*):\\s*$");

    @Test
    void everyRegisteredRouteIsDescribedAndNothingElse() throws Exception {
        final String spec = Files.readString(Path.of("openapi.yaml"));
        final Matcher paths = PATH_KEY.matcher(spec.substring(spec.indexOf("\npaths:"), spec.indexOf("\ncomponents:")));
        final List<String> described = paths.results().map(m -> m.group(1)).toList();
        assertThat(described).containsExactlyInAnyOrderElementsOf(HttpApi.ROUTES);
    }

    /**
     * {@code PopularItems} ranks cold-start lists by the decayed {@code trendingScore}, then by
     * {@code positiveCount}; the spec must name both fields and the half-life that decays the score.
     */
    @Test
    void theColdStartRankIsDescribedByTheFieldItUses() throws Exception {
        final String spec = Files.readString(Path.of("openapi.yaml"));
        final String recommendations = spec.substring(spec.indexOf("  /users/{userId}/recommendations:"),
                spec.indexOf("  /users/{userId}/profile:"));
        assertThat(recommendations).contains("ItemFactors.trendingScore", "ItemFactors.positiveCount",
                "recommendations.trending.half.life.ms").doesNotContain("updateCount");
    }
}
