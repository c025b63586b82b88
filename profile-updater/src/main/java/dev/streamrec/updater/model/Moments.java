package dev.streamrec.updater.model;

/**
 * x·y, |x|² and |y|² over one slice each: the three sums an SGD step needs before it writes
 * anything (the prediction, the rate cap and the norm after the step, see {@link SgdStep}).
 * A record so that escape analysis can keep it in registers.
 */
public record Moments(float dot, float xx, float yy) {
}
