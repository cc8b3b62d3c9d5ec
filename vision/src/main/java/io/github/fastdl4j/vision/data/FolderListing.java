package io.github.fastdl4j.vision.data;

import io.github.fastdl4j.common.data.BadInputException;
import io.github.fastdl4j.common.data.Split;
import io.github.fastdl4j.common.data.Splits;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static io.github.fastdl4j.vision.data.ImageFolder.SPLIT_SEED;

/**
 * The files and labels of an image folder's sets, found before any image is read: which layout
 * the folder has (train/ and valid/, train/ alone, or class folders at the top), its classes,
 * and the files of each set with their labels (the random validation share drawn here when there
 * is no valid/), with the layout described in words for the run's log. It lives apart from
 * {@link ImageFolder} because finding the files is a job of its own (folder rules and their
 * messages) and the decoding and normalising there does not depend on how they were found.
 *
 * @param classes     the class names, in label order
 * @param layout      where the training and validation images came from, in words
 * @param validSource where the validation images came from, in words
 * @param validPct    the random validation share, or null when the folder has valid/
 */
record FolderListing(List<String> classes, List<Path> trainFiles, int[] trainLabels, List<Path> validFiles,
                     int[] validLabels, List<Path> testFiles, int[] testLabels, String layout, String validSource,
                     Double validPct) {

    /**
     * Finds the layout, classes and files. {@code modelClasses}: read for a trained model (its
     * class names give the labels), else the folder's class folders do.
     */
    static FolderListing list(Path root, double validPct, List<String> modelClasses) {
        if (!Files.exists(root)) {
            throw BadInputException.inFile(root, "image folder not found");
        }
        if (!Files.isDirectory(root)) {
            throw BadInputException.inFile(root, "not a folder (expected a folder of class folders of images)");
        }
        Path trainDir = root.resolve("train");
        Path validDir = root.resolve("valid");
        Path testDir = root.resolve("test");
        boolean twoLevel = Files.isDirectory(trainDir);
        if (!twoLevel && Files.isDirectory(validDir)) {
            throw BadInputException.inFile(root, "has valid/ but no train/ (fastai's layout: train/<class>/ and valid/<class>/)");
        }
        Path classRoot = twoLevel ? trainDir : root;
        Map<String, List<Path>> found = classFolders(classRoot, twoLevel ? List.of() : List.of("test"));
        if (found.isEmpty()) {
            throw BadInputException.inFile(classRoot, "no class folders with images (expected " + (twoLevel ? "train/" : "")
                    + "<class>/<image>.png or .jpg, one folder per class" + (twoLevel ? "" : ", or train/<class>/ and valid/<class>/")
                    + ")");
        }
        List<String> classes;
        if (modelClasses == null) {
            classes = List.copyOf(found.keySet());
            if (classes.size() < 2) {
                throw BadInputException.inFile(classRoot, "only one class folder with images (" + classes.get(0)
                        + "); a classifier needs at least two");
            }
        } else {
            classes = modelClasses;
        }
        List<Path> files = new ArrayList<>();
        int[] labels = labelled(classRoot, found, classes, files);
        List<Path> validFiles;
        int[] validLabels;
        List<Path> trainFiles;
        int[] trainLabels;
        String layout;
        String validSource;
        Double pct = null;
        if (twoLevel && Files.isDirectory(validDir)) {
            trainFiles = files;
            trainLabels = labels;
            validFiles = new ArrayList<>();
            validLabels = labelled(validDir, classFolders(validDir, List.of()), classes, validFiles);
            if (validFiles.isEmpty()) {
                throw BadInputException.inFile(validDir, "no class folders with images (expected valid/<class>/<image>.png or .jpg)");
            }
            layout = root.resolve("train") + " and " + validDir;
            validSource = validDir.toString();
        } else {
            int n = files.size();
            int nValid = (int) Math.round(n * validPct);
            if (nValid < 1 || nValid >= n) {
                throw BadInputException.inFile(classRoot, n + " images are too few to split off a validation share of " + validPct
                        + " (--valid-pct)");
            }
            Split split = Splits.random(n, validPct, SPLIT_SEED);
            trainFiles = pick(files, split.train());
            trainLabels = pick(labels, split.train());
            validFiles = pick(files, split.valid());
            validLabels = pick(labels, split.valid());
            pct = validPct;
            layout = String.format(Locale.ROOT, "%s, a random %.0f%% (seed %d) validating", classRoot, 100 * validPct, SPLIT_SEED);
            validSource = String.format(Locale.ROOT, "a random %.0f%% (seed %d) of %s", 100 * validPct, SPLIT_SEED, classRoot);
        }
        List<Path> testFiles = new ArrayList<>();
        int[] testLabels = new int[0];
        if (Files.isDirectory(testDir)) {
            testLabels = labelled(testDir, classFolders(testDir, List.of()), classes, testFiles);
        }
        return new FolderListing(classes, List.copyOf(trainFiles), trainLabels, List.copyOf(validFiles), validLabels,
                List.copyOf(testFiles), testLabels, layout, validSource, pct);
    }

    /** Files of every class folder, in class order then name order; a folder of an unknown class is an error. */
    private static int[] labelled(Path dir, Map<String, List<Path>> found, List<String> classes, List<Path> files) {
        List<Integer> labels = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : found.entrySet()) {
            int label = classes.indexOf(e.getKey());
            if (label < 0) {
                throw BadInputException.inFile(dir.resolve(e.getKey()), "class '" + e.getKey() + "' is not one of the "
                        + classes.size() + " classes " + preview(classes));
            }
            for (Path f : e.getValue()) {
                files.add(f);
                labels.add(label);
            }
        }
        return labels.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String preview(List<String> classes) {
        return classes.size() <= 10 ? classes.toString() : classes.subList(0, 10) + "...";
    }

    /** Sub-folders of {@code dir} holding at least one image file, by sorted name, with their sorted image files. */
    private static Map<String, List<Path>> classFolders(Path dir, List<String> skip) {
        Map<String, List<Path>> out = new TreeMap<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                if (name.startsWith(".") || skip.contains(name) || !Files.isDirectory(p)) {
                    continue;
                }
                List<Path> images = new ArrayList<>();
                try (DirectoryStream<Path> files = Files.newDirectoryStream(p)) {
                    for (Path f : files) {
                        if (ImageFiles.isImage(f) && Files.isRegularFile(f)) {
                            images.add(f);
                        }
                    }
                }
                if (!images.isEmpty()) {
                    images.sort(null);
                    out.put(name, images);
                }
            }
        } catch (IOException e) {
            throw BadInputException.inFile(dir, "cannot list the folder (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        return out;
    }

    private static List<Path> pick(List<Path> files, int[] rows) {
        List<Path> out = new ArrayList<>(rows.length);
        for (int r : rows) {
            out.add(files.get(r));
        }
        return out;
    }

    private static int[] pick(int[] labels, int[] rows) {
        return Arrays.stream(rows).map(r -> labels[r]).toArray();
    }
}
