package dev.adapterloop.promotion;

import java.util.Arrays;

/**
 * What one arm of an experiment has seen: outcomes from feedback (1/0 for a correct/wrong label, or a reward in
 * [0, 1]) as sufficient statistics, and its requests, errors and latency histogram from the prediction stream.
 * Immutable; small enough to persist on every change.
 *
 * @param latencyBuckets request counts per {@link #bucketOf latency bucket}
 */
public record ArmStats(long outcomes, double rewardSum, double rewardSquares, long requests, long errors,
                       long[] latencyBuckets) {

    /** Bucket i holds latencies in [2^(i/4) - 1, 2^((i+1)/4) - 1) ms: about 19 % wide, up to ~18 minutes. */
    static final int BUCKETS = 80;
    public static final ArmStats EMPTY = new ArmStats(0, 0, 0, 0, 0, new long[BUCKETS]);

    public ArmStats {
        if (outcomes < 0 || requests < 0 || errors < 0 || errors > requests) {
            throw new IllegalArgumentException("arm counts must be >= 0 with errors <= requests, got " + outcomes
                    + " outcomes, " + requests + " requests, " + errors + " errors");
        }
        if (latencyBuckets == null || latencyBuckets.length != BUCKETS) {
            throw new IllegalArgumentException("`latencyBuckets` must hold " + BUCKETS + " counts");
        }
        latencyBuckets = latencyBuckets.clone();
    }

    public ArmStats withOutcome(double reward) {
        if (!(reward >= 0 && reward <= 1)) {
            throw new IllegalArgumentException("a reward must be in [0, 1], got " + reward);
        }
        return new ArmStats(outcomes + 1, rewardSum + reward, rewardSquares + reward * reward, requests, errors,
                latencyBuckets);
    }

    public ArmStats withRequest(double latencyMillis, boolean error) {
        long[] buckets = latencyBuckets.clone();
        buckets[bucketOf(latencyMillis)]++;
        return new ArmStats(outcomes, rewardSum, rewardSquares, requests + 1, errors + (error ? 1 : 0), buckets);
    }

    public double mean() {
        return outcomes == 0 ? 0 : rewardSum / outcomes;
    }

    /**
     * The outcomes' variance, floored at {@code 0.25 / (n + 2)} so that an arm that happens to be all right (or all
     * wrong) early does not look infinitely certain.
     */
    public double variance() {
        if (outcomes == 0) {
            return 0.25;
        }
        double m = mean();
        return Math.max(rewardSquares / outcomes - m * m, 0.25 / (outcomes + 2));
    }

    public double errorRate() {
        return requests == 0 ? 0 : (double) errors / requests;
    }

    /** The 95th percentile latency, as the upper edge of the bucket that holds it (NaN without requests). */
    public double p95LatencyMillis() {
        if (requests == 0) {
            return Double.NaN;
        }
        long rank = (long) Math.ceil(0.95 * requests);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += latencyBuckets[i];
            if (seen >= rank) {
                return upperEdge(i);
            }
        }
        return upperEdge(BUCKETS - 1);
    }

    static int bucketOf(double latencyMillis) {
        double ms = Double.isFinite(latencyMillis) ? Math.max(0, latencyMillis) : Double.MAX_VALUE;
        int bucket = (int) Math.floor(4 * Math.log(ms + 1) / Math.log(2));
        return Math.min(BUCKETS - 1, bucket);
    }

    static double upperEdge(int bucket) {
        return Math.pow(2, (bucket + 1) / 4.0) - 1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ArmStats a && outcomes == a.outcomes && rewardSum == a.rewardSum
                && rewardSquares == a.rewardSquares && requests == a.requests && errors == a.errors
                && Arrays.equals(latencyBuckets, a.latencyBuckets);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(outcomes) * 31 + Arrays.hashCode(latencyBuckets);
    }

    @Override
    public String toString() {
        return "ArmStats[n=" + outcomes + ", mean=" + mean() + ", requests=" + requests + ", errors=" + errors + "]";
    }
}
