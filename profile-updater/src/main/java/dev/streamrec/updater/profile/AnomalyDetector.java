package dev.streamrec.updater.profile;

import dev.streamrec.schemas.RecentItem;
import dev.streamrec.schemas.UserProfile;
import dev.streamrec.updater.config.UpdaterConfig.ProfileRules;
import org.apache.commons.math3.stat.descriptive.SummaryStatistics;

/**
 * Flags bot-like users, two ways:
 * <ol>
 *   <li>Burst: at least {@code burstMaxEvents} of the user's recent events fall inside one
 *       {@code burstWindow} of event time (read off the profile's recent-item list).</li>
 *   <li>Outlier pace: the user's mean inter-event time, on a log scale, lies more than
 *       {@code anomalyZThreshold} standard deviations below the population's mean of
 *       {@code log10(1 + gap)} (running mean and variance by Commons Math's
 *       {@link SummaryStatistics}), once the population holds {@code anomalyMinPopulation} gaps
 *       and the user at least 10 events. Log scale because inter-event times are heavy-tailed.</li>
 * </ol>
 * The population statistics live in memory per stream task and start afresh after a restart; the
 * flag is re-evaluated on every event, so a user who slows down is cleared.
 */
public final class AnomalyDetector {
    private static final int MIN_USER_EVENTS = 10;

    private final ProfileRules rules;
    private final SummaryStatistics populationLogGaps = new SummaryStatistics();

    public AnomalyDetector(final ProfileRules rules) {
        this.rules = rules;
    }

    /** Feeds one observed gap (ms) between consecutive events of some user into the population. */
    public void observeGap(final long gapMs) {
        populationLogGaps.addValue(Math.log10(1 + Math.max(0, gapMs)));
    }

    /** Why {@code profile} looks bot-like, or null when it does not. */
    public String assess(final UserProfile profile) {
        final var recent = profile.getRecentItems();
        if (recent.size() >= rules.burstMaxEvents()) {
            final long newest = recent.stream().mapToLong(r -> r.getEventTime().toEpochMilli()).max().orElse(0);
            long inWindow = 0;
            for (final RecentItem item : recent) {
                if (item.getEventTime().toEpochMilli() > newest - rules.burstWindow().toMillis()) {
                    inWindow++;
                }
            }
            if (inWindow >= rules.burstMaxEvents()) {
                return "burst: " + inWindow + " events within " + rules.burstWindow().toMillis() + " ms";
            }
        }
        final long events = profile.getClickCount() + profile.getPurchaseCount() + profile.getRatingCount();
        if (events >= MIN_USER_EVENTS && populationLogGaps.getN() >= rules.anomalyMinPopulation()) {
            final double sd = populationLogGaps.getStandardDeviation();
            if (sd > 0) {
                final double z = (Math.log10(1 + profile.getMeanInterEventMs()) - populationLogGaps.getMean()) / sd;
                if (z < -rules.anomalyZThreshold()) {
                    return String.format(java.util.Locale.ROOT, "pace: inter-event time z-score %.1f against the population", z);
                }
            }
        }
        return null;
    }
}
