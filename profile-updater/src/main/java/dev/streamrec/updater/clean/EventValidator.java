package dev.streamrec.updater.clean;

import dev.streamrec.schemas.ClickEvent;
import dev.streamrec.schemas.Interaction;
import dev.streamrec.schemas.InteractionKind;
import dev.streamrec.schemas.PurchaseEvent;
import dev.streamrec.schemas.RatingEvent;
import dev.streamrec.updater.config.UpdaterConfig.ValidationRules;
import java.time.Instant;
import java.util.List;

/**
 * Checks one raw event against the configured rules and normalises it into an {@link Interaction}.
 * Pure: "now" is passed in, so tests control the clock.
 *
 * <p>Normalisation: ids trimmed ({@link IdRule}, which the recommender-service shares); a rating r
 * on the scale [min, max] also mapped to {@code (r - min) / (max - min)} in [0, 1]; clicks and
 * purchases have normalised value 1; every
 * interaction carries its kind's confidence weight (purchase heavier than click).
 */
public final class EventValidator {
    private static final double STEP_TOLERANCE = 1e-9;

    private final ValidationRules rules;
    private final IdRule ids;

    public EventValidator(final ValidationRules rules) {
        this.rules = rules;
        this.ids = new IdRule(rules.maxIdLength());
    }

    public Interaction click(final ClickEvent event, final long nowMs) {
        requirePresent(event);
        final Ids ids = ids(event.getEventId(), event.getUserId(), event.getItemId());
        final long time = checkTime(event.getEventTime(), nowMs);
        return interaction(ids, InteractionKind.CLICK, 1.0, 1.0, rules.clickWeight(), 0.0, time);
    }

    public Interaction purchase(final PurchaseEvent event, final long nowMs) {
        requirePresent(event);
        final Ids ids = ids(event.getEventId(), event.getUserId(), event.getItemId());
        if (event.getQuantity() < 1) {
            throw new InvalidEventException(RejectReason.INVALID_QUANTITY, "quantity " + event.getQuantity() + " is below 1");
        }
        final double price = event.getUnitPrice();
        if (!Double.isFinite(price) || price < 0) {
            throw new InvalidEventException(RejectReason.INVALID_PRICE, "unitPrice " + price + " is not a finite, non-negative number");
        }
        final long time = checkTime(event.getEventTime(), nowMs);
        return interaction(ids, InteractionKind.PURCHASE, event.getQuantity(), 1.0, rules.purchaseWeight(),
                event.getQuantity() * price, time);
    }

    public Interaction rating(final RatingEvent event, final long nowMs) {
        requirePresent(event);
        final Ids ids = ids(event.getEventId(), event.getUserId(), event.getItemId());
        final double rating = event.getRating();
        if (!Double.isFinite(rating) || rating < rules.ratingMin() - STEP_TOLERANCE || rating > rules.ratingMax() + STEP_TOLERANCE) {
            throw new InvalidEventException(RejectReason.RATING_OUT_OF_RANGE,
                    "rating " + rating + " is outside [" + rules.ratingMin() + ", " + rules.ratingMax() + "]");
        }
        if (rules.ratingStep() > 0) {
            if (!ValidationRules.isWholeSteps(rating - rules.ratingMin(), rules.ratingStep())) {
                throw new InvalidEventException(RejectReason.RATING_OUT_OF_RANGE,
                        "rating " + rating + " is not a multiple of " + rules.ratingStep() + " from " + rules.ratingMin());
            }
        }
        final long time = checkTime(event.getEventTime(), nowMs);
        final double normalised = (rating - rules.ratingMin()) / (rules.ratingMax() - rules.ratingMin());
        return interaction(ids, InteractionKind.RATING, rating, normalised, rules.ratingWeight(), 0.0, time);
    }

    private static void requirePresent(final Object event) {
        if (event == null) {
            throw new InvalidEventException(RejectReason.MISSING_VALUE, "the record has no value (tombstone)");
        }
    }

    private record Ids(String eventId, String userId, String itemId) {
    }

    private Ids ids(final String eventId, final String userId, final String itemId) {
        return new Ids(id("eventId", eventId), id("userId", userId), id("itemId", itemId));
    }

    private String id(final String field, final String raw) {
        return ids.normalise(field, raw);
    }

    private long checkTime(final Instant eventTime, final long nowMs) {
        final long time = eventTime.toEpochMilli();
        if (time > nowMs + rules.maxFutureSkew().toMillis()) {
            throw new InvalidEventException(RejectReason.EVENT_IN_FUTURE,
                    "eventTime " + eventTime + " is more than " + rules.maxFutureSkew() + " ahead of " + Instant.ofEpochMilli(nowMs));
        }
        if (time < nowMs - rules.maxAge().toMillis()) {
            throw new InvalidEventException(RejectReason.EVENT_TOO_OLD,
                    "eventTime " + eventTime + " is older than " + rules.maxAge() + " before " + Instant.ofEpochMilli(nowMs));
        }
        return time;
    }

    private static Interaction interaction(final Ids ids, final InteractionKind kind, final double value,
                                           final double normalised, final double weight, final double spend,
                                           final long time) {
        return Interaction.newBuilder()
                .setEventId(ids.eventId()).setUserId(ids.userId()).setItemId(ids.itemId())
                .setKind(kind).setValue(value).setNormalizedValue(normalised).setWeight(weight).setSpend(spend)
                .setEventTime(Instant.ofEpochMilli(time)).setIngestTime(Instant.EPOCH)
                .setItemKnown(false).setCategories(List.of()).setItemPrice(null).setAnomalous(false)
                .build();
    }
}
