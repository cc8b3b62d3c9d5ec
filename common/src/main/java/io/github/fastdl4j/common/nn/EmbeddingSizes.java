package io.github.fastdl4j.common.nn;

/** fastai's rule of thumb for embedding sizes. */
public final class EmbeddingSizes {

    private EmbeddingSizes() {
    }

    /**
     * fastai's {@code emb_sz_rule}: {@code min(600, round(1.6 * n^0.56))} for a vocabulary of
     * {@code n} values (including the #na# entry).
     */
    public static int rule(int n) {
        return (int) Math.min(600, Math.round(1.6 * Math.pow(n, 0.56)));
    }
}
