package io.github.fastdl4j.common.module;

/**
 * {@link java.util.SplittableRandom}'s generator (SplitMix64: the same numbers for the same seed)
 * with its state readable and settable. Why: a module's dropout masks come from a generator that
 * advances every training step; a checkpoint saves where it stands ({@link Module#randomState})
 * so that a resumed run draws the very masks the uninterrupted run would have drawn.
 */
public final class RestorableRandom {

    private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

    private long state;

    public RestorableRandom(long seed) {
        this.state = seed;
    }

    /** A uniform double in [0, 1), as {@code SplittableRandom.nextDouble()}. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** A uniform long, as {@code SplittableRandom.nextLong()}. */
    public long nextLong() {
        long z = state += GOLDEN_GAMMA;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A uniform int, as {@code SplittableRandom.nextInt()}. */
    public int nextInt() {
        long z = state += GOLDEN_GAMMA;
        z = (z ^ (z >>> 33)) * 0x62a9d9ed799705f5L;
        return (int) (((z ^ (z >>> 28)) * 0xcb24d0a5c88c35b3L) >>> 32);
    }

    /** A uniform int in [0, bound), as {@code SplittableRandom.nextInt(bound)} (the JDK's rejection loop). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive, got " + bound);
        }
        int r = nextInt();
        int m = bound - 1;
        if ((bound & m) == 0) {
            return r & m;
        }
        for (int u = r >>> 1; u + m - (r = u % bound) < 0; u = nextInt() >>> 1) {
            // rejected: u fell in the last, partial run of bound values
        }
        return r;
    }

    /** Where the generator stands. */
    public long state() {
        return state;
    }

    /** Continues from a {@link #state()}. */
    public void state(long s) {
        this.state = s;
    }
}
