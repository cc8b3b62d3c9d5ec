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

    /** Where the generator stands. */
    public long state() {
        return state;
    }

    /** Continues from a {@link #state()}. */
    public void state(long s) {
        this.state = s;
    }
}
