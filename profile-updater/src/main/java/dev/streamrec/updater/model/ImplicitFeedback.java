package dev.streamrec.updater.model;

/** The kinds of event that count as an implicit positive, each with its own confidence weight. */
public enum ImplicitFeedback {
    CLICK,
    PURCHASE,
    /** Having rated an item at all says the user consumed it, whatever the rating value. */
    RATING;

    /** Confidence weight of this kind of positive (Hu, Koren and Volinsky 2008, confidence c_ui). */
    public float weight(final Hyperparameters hyperparameters) {
        return switch (this) {
            case CLICK -> hyperparameters.clickWeight();
            case PURCHASE -> hyperparameters.purchaseWeight();
            case RATING -> hyperparameters.ratingInteractionWeight();
        };
    }
}
