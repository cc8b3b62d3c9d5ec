package io.github.fastdl4j.common.train;

/** Thrown when the training loss becomes NaN or infinite. */
public class TrainingDivergedException extends RuntimeException {

    public TrainingDivergedException(String message) {
        super(message);
    }
}
