package io.github.fastdl4j.serve.vision;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.serve.http.ApiError;
import io.github.fastdl4j.serve.registry.Served;
import io.github.fastdl4j.vision.data.DigitImage;
import io.github.fastdl4j.vision.data.ImageFiles;
import io.github.fastdl4j.vision.model.InputSpec;
import io.github.fastdl4j.vision.model.VisionModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;

/**
 * A vision model behind the API: one picture in (read as {@code vision predict} reads it: an MNIST
 * model as MNIST's digits, 28x28 grey, light on dark; another as its training images, through
 * DataVec), classes with probabilities out, best first. The picture's size is read from its
 * header and refused above the cap before it is decoded; decoding runs on the request's thread,
 * the forward pass in a {@link Batcher} with the other requests of the moment.
 */
public final class VisionServed implements Served {

    /**
     * One class and its probability.
     *
     * @param label       the class
     * @param probability its probability
     */
    public record Label(String label, double probability) {
    }

    /**
     * An answer.
     *
     * @param predictions classes, best first
     * @param notes       what was done to the picture (scaled, inverted)
     */
    public record Answer(List<Label> predictions, List<String> notes) {
    }

    private final VisionModel model;
    private final Batcher<float[], float[]> batcher;
    private final long maxPixels;

    public VisionServed(String id, VisionModel model, int maxBatch, long maxWaitMs, long maxPixels, IntConsumer batchSizes) {
        this.model = model;
        this.maxPixels = maxPixels;
        this.batcher = new Batcher<>(id, maxBatch, maxWaitMs, 1024, this::forward, batchSizes);
    }

    @Override
    public String module() {
        return "vision";
    }

    @Override
    public String kind() {
        return model.spec().arch();
    }

    public InputSpec input() {
        return model.input();
    }

    @Override
    public void retire() {
        batcher.close();
    }

    /** One forward pass for a batch of normalised images. */
    private List<float[]> forward(List<float[]> images) {
        InputSpec in = model.input();
        int per = in.pixels();
        int n = batcher.paddedSize(images.size()); // padded with copies of the first image (see paddedSize)
        float[] x = new float[n * per];
        for (int i = 0; i < n; i++) {
            System.arraycopy(images.get(i < images.size() ? i : 0), 0, x, i * per, per);
        }
        INDArray batch = Nd4j.create(x, new long[]{n, in.channels(), in.size(), in.size()}, 'c');
        float[][] p = model.probabilities(batch).castTo(DataType.FLOAT).toFloatMatrix();
        return Arrays.asList(p).subList(0, images.size());
    }

    /** Classifies one picture's bytes; {@code top} classes, best first. */
    public Answer predict(byte[] image, int top) {
        int[] wh = dimensions(image);
        if ((long) wh[0] * wh[1] > maxPixels) {
            throw ApiError.tooLarge("image of " + wh[0] + "x" + wh[1] + " pixels is too large (at most " + maxPixels + " pixels)");
        }
        InputSpec in = model.input();
        float[] x;
        List<String> notes = new ArrayList<>();
        CompletableFuture<float[]> answer;
        try (Batcher<float[], float[]>.Arrival arrival = batcher.arriving()) {
            // decoded from memory, as vision predict decodes a file's bytes: no temporary file
            if (in.isMnist()) {
                DigitImage.Pixels px = DigitImage.read(image, NAME);
                notes.addAll(px.notes());
                x = new float[px.values().length];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) ((px.values()[i] / 255.0 - in.means()[0]) / in.stds()[0]);
                }
            } else {
                x = in.normalise(ImageFiles.readOne(image, NAME, in.size(), in.channels()));
                if (wh[0] != in.size() || wh[1] != in.size()) {
                    notes.add("resized from " + wh[0] + "x" + wh[1] + " to " + in.size() + "x" + in.size());
                }
            }
            answer = arrival.submit(x);
        } catch (BadInputException e) {
            String m = e.getMessage();
            throw ApiError.unprocessable(m.startsWith(NAME + ": ") ? m.substring(NAME.length() + 2) : m);
        }
        float[] p = Batcher.await(answer);
        Integer[] order = new Integer[p.length];
        for (int i = 0; i < p.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
        List<Label> out = new ArrayList<>();
        for (int i = 0; i < Math.min(top, p.length); i++) {
            out.add(new Label(in.classes().get(order[i]), p[order[i]]));
        }
        return new Answer(out, notes);
    }

    /** What the readers' errors are about (they start "image: "; the answer drops it). */
    private static final String NAME = "image";

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    /** Width and height from the header, without decoding the pixels; 415 when no reader knows the format. */
    static int[] dimensions(byte[] image) {
        if (image.length >= 24 && Arrays.equals(Arrays.copyOf(image, 16), PNG)) {
            ByteBuffer b = ByteBuffer.wrap(image, 16, 8);
            int w = b.getInt();
            int h = b.getInt();
            if (w <= 0 || h <= 0) {
                throw ApiError.unprocessable("a damaged PNG header (" + w + "x" + h + ")");
            }
            return new int[]{w, h};
        }
        // from memory: ImageIO.createImageInputStream would cache the stream in a temporary file
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(image))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw ApiError.unsupported("not an image format the server reads (send PNG or JPEG)");
            }
            ImageReader r = readers.next();
            try {
                r.setInput(in, true, true);
                return new int[]{r.getWidth(0), r.getHeight(0)};
            } finally {
                r.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiError a) {
                throw a;
            }
            throw ApiError.unprocessable("cannot read the image's header (damaged?)");
        }
    }
}
