package dev.streamrec.updater.model;

/**
 * Prequential figures at one moment. Every value is finite: an empty aggregate reads 0.
 *
 * @param ratingsScored     ratings predicted before training, since start
 * @param rmse              root mean squared error over all scored ratings
 * @param mae               mean absolute error over all scored ratings
 * @param windowRmse        RMSE over the last {@code window} ratings
 * @param windowMae         MAE over the last {@code window} ratings
 * @param positivesScored   positives whose rank was recorded, since start
 * @param recallAt10        share of positives ranked in the top 10 before training
 * @param recallAt20        share in the top 20
 * @param windowRecallAt10  recall@10 over the last {@code window} positives
 * @param windowRecallAt20  recall@20 over the last {@code window} positives
 */
public record PrequentialSnapshot(
        long ratingsScored,
        double rmse,
        double mae,
        double windowRmse,
        double windowMae,
        long positivesScored,
        double recallAt10,
        double recallAt20,
        double windowRecallAt10,
        double windowRecallAt20) {
}
