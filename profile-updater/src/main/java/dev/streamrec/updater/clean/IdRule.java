package dev.streamrec.updater.clean;

/**
 * What makes a user, item or event id usable: trimmed, non-blank and at most
 * {@code validation.id.max.length} characters; any characters otherwise. The one rule both the
 * updater (before it keys anything by an id) and the recommender-service (before it looks one up)
 * apply, so the service answers for exactly the ids the updater keeps.
 */
public final class IdRule {
    private final int maxLength;

    public IdRule(final int maxLength) {
        this.maxLength = maxLength;
    }

    public int maxLength() {
        return maxLength;
    }

    /**
     * The id as it is stored: {@code raw} trimmed ({@link String#trim}: spaces and control
     * characters at either end).
     *
     * @param field what the id is, for the message ({@code userId}, ...)
     * @throws InvalidEventException {@link RejectReason#MISSING_ID} when null or blank,
     *                               {@link RejectReason#ID_TOO_LONG} when longer than the limit
     */
    public String normalise(final String field, final String raw) {
        final String trimmed = raw == null ? "" : raw.trim();
        if (trimmed.isEmpty()) {
            throw new InvalidEventException(RejectReason.MISSING_ID, field + " is missing or blank");
        }
        if (trimmed.length() > maxLength) {
            throw new InvalidEventException(RejectReason.ID_TOO_LONG,
                    field + " has " + trimmed.length() + " characters, more than " + maxLength);
        }
        return trimmed;
    }
}
