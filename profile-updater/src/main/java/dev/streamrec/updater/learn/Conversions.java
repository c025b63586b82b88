package dev.streamrec.updater.learn;

import dev.streamrec.schemas.ItemFactors;
import dev.streamrec.schemas.ItemUpdate;
import dev.streamrec.schemas.StepKind;
import dev.streamrec.schemas.UserFactors;
import dev.streamrec.updater.model.ItemParameters;
import dev.streamrec.updater.model.ItemStep;
import dev.streamrec.updater.model.UserParameters;
import java.util.ArrayList;
import java.util.List;

/** Between the Avro records that travel and are stored, and the model's plain-Java parameters. */
public final class Conversions {
    private Conversions() {
    }

    public static float[] floats(final List<Float> values) {
        final float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    public static List<Float> list(final float[] values) {
        final List<Float> out = new ArrayList<>(values.length);
        for (final float v : values) {
            out.add(v);
        }
        return out;
    }

    public static ItemParameters item(final ItemFactors record) {
        return new ItemParameters(floats(record.getFactors()), record.getBias(), record.getInteractionBias(),
                record.getRatingCount());
    }

    public static UserParameters user(final UserFactors record) {
        return new UserParameters(floats(record.getFactors()), record.getBias(), record.getRatingCount());
    }

    public static UserFactors userRecord(final String userId, final UserParameters user, final long updateCount) {
        return UserFactors.newBuilder().setUserId(userId).setFactors(list(user.factors())).setBias(user.bias())
                .setRatingCount(user.ratingCount()).setUpdateCount(updateCount).build();
    }

    public static ItemUpdate update(final ItemStep step, final boolean positive, final String eventId,
                                    final long readVersion, final long recordTimeMillis) {
        return ItemUpdate.newBuilder().setItemId(step.itemId()).setReadVersion(readVersion).setRecordTime(recordTimeMillis)
                .setKind(step.kind() == ItemStep.Kind.RATING ? StepKind.RATING : StepKind.INTERACTION)
                .setUserFactors(list(step.userFactors())).setGradientScale(step.gradientScale())
                .setPositive(positive).setSourceEventId(eventId).build();
    }

    /** The step, its gradient multiplied by {@code damping} (1 for the step as sent). */
    public static ItemStep step(final ItemUpdate update, final float damping) {
        return new ItemStep(update.getItemId(),
                update.getKind() == StepKind.RATING ? ItemStep.Kind.RATING : ItemStep.Kind.INTERACTION,
                floats(update.getUserFactors()), update.getGradientScale() * damping);
    }
}
