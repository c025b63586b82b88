package dev.streamrec.updater.ranking;

/**
 * {@link TileKernel} in plain Java, for JVMs without the Vector API: one row at a time, its
 * scores for all lanes computed by {@link TopNScorer#scoreRowAgainstTile} (which C2 vectorises
 * over lanes), then checked against the thresholds lane by lane (a branch per lane, which C2
 * does not vectorise).
 *
 * <p>Measured and not kept (items 10,000, rank 64, 256 users, JMH medians of 3 runs): starting
 * the first factor pass from the bias instead of filling the scores with it (60.6 µs per user
 * against 59.9 before, within noise), and skipping the lane loop unless the minimum of
 * {@code threshold - score} over the lanes is negative (67.9 µs: C2 does not vectorise that float
 * minimum either, so it only added a pass).
 */
final class ScalarTileKernel implements TileKernel {

    private final float[] scores = new float[TopNScorer.MAX_USERS_PER_TILE];

    @Override
    public int laneMultiple() {
        return 1;
    }

    @Override
    public void scoreRows(final float[] factors, final float[] biases, final int rank, final int[] rows,
                          final int rowCount, final float[][] tiles, final int firstColumn, final int lanes,
                          final float[] thresholds, final Offers offers) {
        final float[] out = scores;
        for (int i = 0; i < rowCount; i++) {
            final int row = rows[i];
            TopNScorer.scoreRowAgainstTile(factors, row * rank, rank, biases[row], tiles, firstColumn, lanes, out);
            for (int lane = 0; lane < lanes; lane++) {
                final float score = out[lane];
                if (score > thresholds[lane]) {
                    offers.offer(lane, row, score);
                }
            }
        }
    }

    @Override
    public String name() {
        return "scalar";
    }
}
