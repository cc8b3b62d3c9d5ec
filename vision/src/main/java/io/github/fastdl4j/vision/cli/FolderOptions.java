package io.github.fastdl4j.vision.cli;

import io.github.fastdl4j.common.cli.Checks;
import io.github.fastdl4j.common.cli.ParsingConverter;
import io.github.fastdl4j.vision.data.ImageFiles;
import io.github.fastdl4j.vision.data.ImageFolder;
import io.github.fastdl4j.vision.model.InputSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.util.List;

/**
 * The image-folder options of {@code train} and {@code lr-find} (a picocli mixin), fastai's
 * {@code ImageDataLoaders.from_folder(path, valid_pct=...)} with an item size: {@code --images}
 * is the alternative to {@code --data mnist|sample}. The folder options mean nothing without it,
 * and MNIST's {@code --valid-size} nothing with it: such mixes are usage errors, found before
 * any data is read.
 */
public class FolderOptions {

    static final int DEFAULT_SIZE = 28;
    static final int DEFAULT_CHANNELS = 3;

    @Option(names = "--images", paramLabel = "DIR",
            description = "Train on a folder of images instead of MNIST: DIR/train/<class>/ and DIR/valid/<class>/ "
                    + "(fastai's layout), or DIR/<class>/ with a random --valid-pct share validating; DIR/test/<class>/, "
                    + "if present, is tested once at the end. PNG, JPEG and other formats OpenCV reads, any size, grey or colour.")
    Path images;

    @Option(names = "--size", paramLabel = "N", converter = SizeConverter.class,
            description = "With --images: every image is resized to N x N, " + InputSpec.MIN_SIZE + ".." + InputSpec.MAX_SIZE
                    + " (default: " + DEFAULT_SIZE + ").")
    Integer size;

    @Option(names = "--channels", converter = ChannelsConverter.class,
            description = "With --images: 1 (grey) or 3 (colour; grey images get three equal channels) (default: "
                    + DEFAULT_CHANNELS + ").")
    Integer channels;

    @Option(names = "--valid-pct", converter = Checks.Fraction.class,
            description = "With --images and no valid/ folder: the share of the images that validates, chosen at random "
                    + "with a fixed seed (default: " + ImageFolder.DEFAULT_VALID_PCT + ").")
    Double validPct;

    @Option(names = "--strict",
            description = "With --images: an unreadable or empty image file is an error naming it (default: such files are "
                    + "skipped, counted and named in one warning line).")
    boolean strict;

    /** 8..256 pixels: the sizes a network is built for. */
    static final class SizeConverter extends ParsingConverter<Integer> {
        SizeConverter() {
            super(v -> {
                int n = new Checks.PositiveInt().convert(v);
                if (n < InputSpec.MIN_SIZE || n > InputSpec.MAX_SIZE) {
                    throw new IllegalArgumentException("must be " + InputSpec.MIN_SIZE + ".." + InputSpec.MAX_SIZE
                            + " pixels, got " + n);
                }
                return n;
            });
        }
    }

    /** 1 or 3. */
    static final class ChannelsConverter extends ParsingConverter<Integer> {
        ChannelsConverter() {
            super(v -> Integer.parseInt(VisionMain.oneOf(v.strip(), "1", "3")));
        }
    }

    public int size() {
        return size != null ? size : DEFAULT_SIZE;
    }

    public int channels() {
        return channels != null ? channels : DEFAULT_CHANNELS;
    }

    public ImageFolder.Options options() {
        return new ImageFolder.Options(size(), channels(), validPct != null ? validPct : ImageFolder.DEFAULT_VALID_PCT, strict);
    }

    /** Whether the command line (not a default) named the option. */
    static boolean given(CommandSpec spec, String option) {
        return spec.commandLine() != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * Usage errors: {@code --images} with {@code --data}, the folder options without
     * {@code --images}, MNIST's {@code --valid-size} with it, a {@code --shift} of half the image or more.
     */
    void check(CommandSpec spec, int shift) {
        if (images == null) {
            for (String o : List.of("--size", "--channels", "--valid-pct", "--strict")) {
                if (given(spec, o)) {
                    throw new ParameterException(spec.commandLine(), o + " applies to --images DIR only");
                }
            }
            return;
        }
        if (given(spec, "--data")) {
            throw new ParameterException(spec.commandLine(), "--images and --data are alternatives: give one");
        }
        if (given(spec, "--valid-size")) {
            throw new ParameterException(spec.commandLine(), "--valid-size applies to MNIST; with --images the validation "
                    + "images are DIR/valid/ or a --valid-pct share");
        }
        if (2 * shift >= size()) {
            throw new ParameterException(spec.commandLine(), "--shift " + shift + " would move " + size() + "-pixel images "
                    + "by half or more: use less than " + (size() + 1) / 2);
        }
    }

    /** Reads the folder, printing the warning line for skipped files. */
    ImageFolder load() {
        ImageFolder f = ImageFolder.load(images, options());
        String w = ImageFiles.warning(f.skipped());
        if (w != null) {
            System.out.println(w);
        }
        return f;
    }
}
