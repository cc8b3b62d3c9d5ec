package io.github.fastdl4j.vision.interpret;

import io.github.fastdl4j.vision.model.InputSpec;
import io.github.fastdl4j.vision.model.VisionModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * fastai's {@code ClassificationInterpretation.from_learner(learn)}: the model's predictions on
 * validation images, with the confusion matrix, the most confused pairs and the top losses
 * (the images the model got most wrong, or was least sure of when right).
 *
 * <pre>{@code
 * ClassificationInterpretation interp = ClassificationInterpretation.of(model, images, labels);
 * interp.confusionMatrix().mostConfused(1);   // interp.most_confused(min_val=1)
 * interp.plotTopLosses(png, 9);               // interp.plot_top_losses(9)
 * }</pre>
 */
public final class ClassificationInterpretation {

    private final VisionModel model;
    private final float[] images;
    private final int[] actual;
    private final int[] predicted;
    private final double[] loss;
    private final double[] pPredicted;

    private ClassificationInterpretation(VisionModel model, float[] images, int[] actual, int[] predicted, double[] loss,
                                         double[] pPredicted) {
        this.model = model;
        this.images = images;
        this.actual = actual;
        this.predicted = predicted;
        this.loss = loss;
        this.pPredicted = pPredicted;
    }

    /**
     * Runs the model over {@code images} (normalised as it was trained, channels x size x size
     * each) in batches.
     *
     * @param labels the actual class of each image (indices into the model's classes)
     */
    public static ClassificationInterpretation of(VisionModel model, float[] images, int[] labels) {
        InputSpec in = model.input();
        int per = in.pixels();
        int n = labels.length;
        if (images.length != (long) n * per) {
            throw new IllegalArgumentException(n + " labels for " + images.length / per + " images");
        }
        int batch = Math.max(1, Math.min(1000, (1 << 22) / per));
        int[] predicted = new int[n];
        double[] loss = new double[n];
        double[] p = new double[n];
        for (int from = 0; from < n; from += batch) {
            int m = Math.min(batch, n - from);
            INDArray x = Nd4j.create(Arrays.copyOfRange(images, from * per, (from + m) * per),
                    new long[]{m, in.channels(), in.size(), in.size()}, 'c');
            double[][] probs = model.probabilities(x).castTo(DataType.DOUBLE).toDoubleMatrix();
            for (int i = 0; i < m; i++) {
                double[] row = probs[i];
                int best = 0;
                for (int c = 1; c < row.length; c++) {
                    if (row[c] > row[best]) {
                        best = c;
                    }
                }
                predicted[from + i] = best;
                p[from + i] = row[best];
                // cross-entropy of the actual class, clipped as the training loss is
                loss[from + i] = -Math.log(Math.max(row[labels[from + i]], 1e-12));
            }
        }
        return new ClassificationInterpretation(model, images, labels.clone(), predicted, loss, p);
    }

    public int size() {
        return actual.length;
    }

    public int[] actual() {
        return actual.clone();
    }

    public int[] predicted() {
        return predicted.clone();
    }

    /** Cross-entropy of each image's actual class. */
    public double[] losses() {
        return loss.clone();
    }

    public double accuracy() {
        return (double) IntStream.range(0, actual.length).filter(i -> actual[i] == predicted[i]).count() / actual.length;
    }

    /** The mean cross-entropy. */
    public double meanLoss() {
        return Arrays.stream(loss).average().orElse(0);
    }

    public ConfusionMatrix confusionMatrix() {
        return ConfusionMatrix.of(model.input().classes(), actual, predicted);
    }

    /**
     * One of the largest losses.
     *
     * @param index     the image's index in the validation images
     * @param actual    its class
     * @param predicted the model's class
     * @param loss      cross-entropy of the actual class
     * @param p         the predicted class's probability
     */
    public record TopLoss(int index, int actual, int predicted, double loss, double p) {
    }

    /** fastai's {@code top_losses(k)}: the {@code k} largest losses, largest first. */
    public List<TopLoss> topLosses(int k) {
        return IntStream.range(0, actual.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -loss[i]).thenComparingInt(i -> i))
                .limit(k).map(i -> new TopLoss(i, actual[i], predicted[i], loss[i], pPredicted[i])).toList();
    }

    /**
     * fastai's {@code plot_top_losses(k)}: the {@code k} images with the largest losses, captioned
     * predicted/actual/loss/probability (of the predicted class), wrong ones in red.
     */
    public void plotTopLosses(Path png, int k) throws IOException {
        InputSpec in = model.input();
        int per = in.pixels();
        List<ImageGrid.Tile> tiles = new ArrayList<>();
        for (TopLoss t : topLosses(k)) {
            float[] img = in.denormalise(Arrays.copyOfRange(images, t.index() * per, (t.index() + 1) * per));
            tiles.add(new ImageGrid.Tile(String.format(Locale.ROOT, "%s/%s/%.2f/%.2f", in.classes().get(t.predicted()),
                    in.classes().get(t.actual()), t.loss(), t.p()), img, in.channels(), in.size(), t.predicted() != t.actual()));
        }
        ImageGrid.write(png, "top losses: predicted/actual/loss/probability", tiles, 3);
    }
}
