/**
 * The scoring kernel: latent factors in, top-N item rows out. Pure Java, no Kafka.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.streamrec.updater.ranking.ItemFactorMatrix}: every item's factors, bias,
 *       status and norm in dense primitive arrays; one writer, many readers.</li>
 *   <li>{@link dev.streamrec.updater.ranking.TopNScorer}: batched top-N for many users at once
 *       (the matrix streams through the cache once per batch).</li>
 *   <li>{@link dev.streamrec.updater.ranking.ClusterIndex} and
 *       {@link dev.streamrec.updater.ranking.ClusteredTopNScorer}: candidate generation for large
 *       catalogues (k-means clusters of the items, a few probed per user), exact over the
 *       candidates; {@link dev.streamrec.updater.ranking.ServingRanker} picks it or the full scan,
 *       {@link dev.streamrec.updater.ranking.ClusterIndexRefresher} rebuilds the index in the
 *       background.</li>
 *   <li>{@link dev.streamrec.updater.ranking.SimilarItems}: top-K items by cosine of factors.</li>
 *   <li>{@link dev.streamrec.updater.ranking.TrendingItems}: time-decayed popularity for cold
 *       start.</li>
 *   <li>{@link dev.streamrec.updater.ranking.ReferenceRanker}: the obvious, slow implementation
 *       the fast ones are tested and benchmarked against.</li>
 * </ul>
 *
 * <h2>Scores are defined down to the bit</h2>
 * The score of row {@code i} for user factors {@code p} is computed in {@code float}, starting
 * from the bias and adding the products in factor order:
 * <pre>{@code
 *   float s = bias[i];
 *   for (int k = 0; k < rank; k++) s += p[k] * q[i][k];
 * }</pre>
 * Java never fuses {@code a * b + c} into one rounding and never reorders float additions, so
 * any kernel that keeps this per-score order, however it interleaves rows and users, produces
 * the same bits. The fast kernels vectorise across users or rows, never across {@code k}, which
 * is why they agree exactly with the reference and why ties are real ties.
 *
 * <h2>Order of results</h2>
 * Higher score first; equal scores by row ascending, which is the order items were first seen
 * by the matrix. Only scores {@code > Float.NEGATIVE_INFINITY} qualify, so NaN (a corrupt row)
 * and negative infinity are never recommended.
 */
package dev.streamrec.updater.ranking;
