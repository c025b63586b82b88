package dev.streamrec.bench.model;

/**
 * Figures from one replay. Recall is measured twice: positives = ratings of 5, and ratings ≥ 4.
 *
 * @param ratings                  ratings scored (all of them)
 * @param modelRmse                prequential RMSE of the model
 * @param modelMae                 prequential MAE of the model
 * @param biasBaselineRmse         RMSE of the online μ + b_u + b_i baseline
 * @param biasBaselineMae          MAE of that baseline
 * @param globalMeanRmse           RMSE of predicting the running global mean
 * @param globalMeanMae            MAE of the running global mean
 * @param positivesFive            scored rating-5 positives
 * @param positivesFourPlus        scored rating-≥4 positives
 * @param model                    model recall on both protocols
 * @param popularity               popularity-so-far recall on both protocols
 * @param discardedSteps           steps dropped to stay finite (user and item side)
 * @param eventsPerSecond          whole replay throughput (training, baselines, ranking for recall)
 * @param trainingEventsPerSecond  throughput of the model's training alone (user side, negatives, item side)
 */
public record ReplayFigures(long ratings, double modelRmse, double modelMae, double biasBaselineRmse,
                            double biasBaselineMae, double globalMeanRmse, double globalMeanMae,
                            long positivesFive, long positivesFourPlus, Recall model, Recall popularity,
                            long discardedSteps, double eventsPerSecond, double trainingEventsPerSecond) {

    /** recall@10 and @20 on rating-5 positives and on rating-≥4 positives. */
    public record Recall(double fiveAt10, double fiveAt20, double fourPlusAt10, double fourPlusAt20) {
    }
}
