package io.github.fastdl4j.common.testing;

import io.github.fastdl4j.common.data.BadInputException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A seeded fuzzer for the project's inputs: random byte edits, truncations, line swaps and
 * extreme numbers, applied to a real file (or to one entry of a zip, or to the content of a gzip),
 * and a runner that feeds each mutant to a loader or command and collects every outcome that is
 * not the promised one: success, or one {@link BadInputException} line naming the file.
 *
 * <p>Fast by default ({@value #DEFAULT} inputs per kind); {@code -Dfastdl4j.fuzz=N} runs N.
 */
public final class Fuzz {

    public static final int DEFAULT = 25;

    private static final byte[] INTERESTING = {0, (byte) 0xff, 0x7f, (byte) 0x80, '\n', '\r', ',', '\t', '|', '"', '-',
            '9', '.', ' ', (byte) 0xc3, '{', '}', '[', ':'};
    private static final String[] NUMBERS = {"-1", "0", "1.5", "99999999999", "1e308", "NaN", "-0", "2147483648", "", "x"};

    private Fuzz() {
    }

    /** How many mutants to try per input kind. */
    public static int iterations() {
        return Integer.getInteger("fastdl4j.fuzz", DEFAULT);
    }

    /** A mutant of {@code original}, with a description of what was done. */
    public record Mutant(byte[] bytes, String what) {
    }

    /** One to three random edits of the bytes or lines of a text or binary file. */
    public static Mutant mutate(byte[] original, Random rng) {
        byte[] b = original.clone();
        List<String> what = new ArrayList<>();
        int edits = 1 + rng.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int op = rng.nextInt(10);
            int n = b.length;
            int at = n == 0 ? 0 : rng.nextInt(n);
            switch (op) {
                case 0 -> {
                    if (n > 0) {
                        b[at] = (byte) rng.nextInt(256);
                    }
                    what.add("random byte at " + at);
                }
                case 1 -> {
                    if (n > 0) {
                        b[at] = INTERESTING[rng.nextInt(INTERESTING.length)];
                    }
                    what.add("special byte at " + at);
                }
                case 2 -> {
                    byte[] ins = new byte[1 + rng.nextInt(8)];
                    rng.nextBytes(ins);
                    b = splice(b, at, 0, ins);
                    what.add("inserted " + ins.length + " bytes at " + at);
                }
                case 3 -> {
                    int len = Math.min(n - at, 1 + rng.nextInt(16));
                    b = splice(b, at, len, new byte[0]);
                    what.add("deleted " + len + " bytes at " + at);
                }
                case 4 -> {
                    b = Arrays.copyOf(b, at);
                    what.add("truncated at " + at);
                }
                case 5, 6, 7 -> {
                    List<String> lines = new ArrayList<>(List.of(new String(b, StandardCharsets.ISO_8859_1).split("\n", -1)));
                    if (lines.size() > 1) {
                        int i = rng.nextInt(lines.size());
                        int j = rng.nextInt(lines.size());
                        if (op == 5) {
                            String t = lines.get(i);
                            lines.set(i, lines.get(j));
                            lines.set(j, t);
                            what.add("swapped lines " + (i + 1) + " and " + (j + 1));
                        } else if (op == 6) {
                            lines.add(j, lines.get(i));
                            what.add("repeated line " + (i + 1));
                        } else {
                            lines.remove(i);
                            what.add("deleted line " + (i + 1));
                        }
                        b = String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
                    }
                }
                case 8 -> {
                    // a number token becomes an extreme or malformed one
                    String s = new String(b, StandardCharsets.ISO_8859_1);
                    Matcher m = Pattern.compile("-?\\d+(\\.\\d+)?").matcher(s);
                    List<int[]> spans = new ArrayList<>();
                    while (m.find() && spans.size() < 10_000) {
                        spans.add(new int[]{m.start(), m.end()});
                    }
                    if (!spans.isEmpty()) {
                        int[] sp = spans.get(rng.nextInt(spans.size()));
                        String rep = NUMBERS[rng.nextInt(NUMBERS.length)];
                        b = splice(b, sp[0], sp[1] - sp[0], rep.getBytes(StandardCharsets.ISO_8859_1));
                        what.add("number at " + sp[0] + " -> '" + rep + "'");
                    }
                }
                default -> {
                    int len = Math.min(n - at, 1 + rng.nextInt(256));
                    byte[] chunk = Arrays.copyOfRange(b, at, at + len);
                    b = splice(b, at, 0, chunk);
                    what.add("duplicated " + len + " bytes at " + at);
                }
            }
        }
        return new Mutant(b, String.join(", ", what));
    }

    /** A zip with one entry mutated, dropped, renamed or added; the others kept. */
    public static Mutant mutateZip(byte[] zip, Random rng) {
        Map<String, byte[]> entries = unzip(zip);
        List<String> names = new ArrayList<>(entries.keySet());
        String pick = names.get(rng.nextInt(names.size()));
        String what;
        int op = rng.nextInt(10);
        if (op < 7) {
            Mutant m = mutate(entries.get(pick), rng);
            entries.put(pick, m.bytes());
            what = pick + ": " + m.what();
        } else if (op == 7) {
            entries.remove(pick);
            what = "dropped " + pick;
        } else if (op == 8) {
            byte[] v = entries.remove(pick);
            entries.put(pick.replace('.', '_') + ".json", v);
            what = "renamed " + pick;
        } else {
            entries.put("extra/" + rng.nextInt(1000) + ".bin", new byte[]{(byte) 0xac, (byte) 0xed, 0, 5});
            what = "added an unknown entry";
        }
        return new Mutant(zip(entries), what);
    }

    /** A gzip file whose content is mutated (so the edits reach the parser, not only the gzip checks). */
    public static Mutant mutateGzipContent(byte[] gz, Random rng) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            Mutant m = mutate(in.readAllBytes(), rng);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (GZIPOutputStream z = new GZIPOutputStream(out)) {
                z.write(m.bytes());
            }
            return new Mutant(out.toByteArray(), "content: " + m.what());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    public static Map<String, byte[]> unzip(byte[] zip) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                entries.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return entries;
    }

    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** What a campaign found: how many inputs were refused in one line, accepted, or broke the promise. */
    public record Report(String kind, int tried, int refused, int accepted, List<String> failures) {
        public String line() {
            return String.format("fuzz %-28s %5d inputs: %5d refused with one line, %5d accepted, %d failures",
                    kind, tried, refused, accepted, failures.size());
        }
    }

    /** What a target does with a mutant written where it reads it. */
    @FunctionalInterface
    public interface Target {
        void accept(byte[] mutant) throws Exception;
    }

    /**
     * Feeds {@code iterations()} mutants to {@code target}: each must succeed or throw a
     * {@link BadInputException} whose message is one line containing {@code mustName}; anything else
     * (another exception, an Error such as OutOfMemoryError, a multi-line message) is a failure,
     * recorded with the seed and the mutation so that it can be replayed.
     */
    public static Report run(String kind, long seed, Function<Random, Mutant> mutator, String mustName,
                             Target target) {
        int refused = 0;
        int accepted = 0;
        List<String> failures = new ArrayList<>();
        int n = iterations();
        for (int i = 0; i < n; i++) {
            Random rng = new Random(seed * 1_000_003L + i);
            Mutant m = mutator.apply(rng);
            try {
                target.accept(m.bytes());
                accepted++;
            } catch (BadInputException e) {
                String msg = String.valueOf(e.getMessage());
                if (msg.lines().count() == 1 && msg.contains(mustName)) {
                    refused++;
                } else {
                    failures.add(i + " (" + m.what() + "): message not one line naming " + mustName + ": " + msg);
                }
            } catch (Throwable t) {
                failures.add(i + " (" + m.what() + "): " + t);
            }
        }
        Report r = new Report(kind, n, refused, accepted, failures);
        System.out.println(r.line());
        return r;
    }

    /**
     * Other spellings of an existing path, all naming the same file or folder: absolute, relative to
     * the working folder, with {@code ./}, through {@code sub/..}, a symbolic link (made in
     * {@code scratch}), and for a file a hard link.
     */
    public static List<Path> spellings(Path p, Path scratch) {
        try {
            Path abs = p.toAbsolutePath();
            Path cwd = Path.of("").toAbsolutePath();
            Path rel = cwd.relativize(abs);
            List<Path> s = new ArrayList<>(List.of(abs, rel, Path.of(".").resolve(rel),
                    abs.getParent().resolve("sub").resolve("..").resolve(abs.getFileName())));
            Files.createDirectories(scratch);
            Path link = scratch.resolve("link-" + scratch.toFile().list().length + "-" + abs.getFileName());
            s.add(Files.createSymbolicLink(link, abs));
            if (Files.isRegularFile(abs)) {
                s.add(Files.createLink(scratch.resolve("hard-" + scratch.toFile().list().length + "-"
                        + abs.getFileName()), abs));
            }
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A command line without its {@code --out}, and the inputs it reads. */
    public record Command(List<String> args, List<Path> inputs) {
    }

    /**
     * Outputs equal to inputs: each command is run with {@code --out} set to each spelling of each
     * of its inputs (see {@link #spellings}); each must be refused as a usage error (exit code 2,
     * one line) and leave every input byte for byte as it was. The mutant is the argument, not
     * the file.
     */
    public static Report outputsEqualToInputs(String kind, Path scratch, List<Command> commands,
                                             Function<String[], CliRun> run) {
        int tried = 0;
        int refused = 0;
        List<String> failures = new ArrayList<>();
        for (Command c : commands) {
            for (Path input : c.inputs()) {
                for (Path out : spellings(input, scratch)) {
                    tried++;
                    List<String> args = new ArrayList<>(c.args());
                    args.add("--out");
                    args.add(out.toString());
                    Untouched u = Untouched.of(c.inputs().toArray(Path[]::new));
                    try {
                        Untouched.refused(run.apply(args.toArray(String[]::new)));
                        u.check();
                        refused++;
                    } catch (Throwable t) {
                        failures.add(String.join(" ", args) + ": " + BadInputException.oneLine(String.valueOf(t.getMessage())));
                    }
                }
            }
        }
        Report r = new Report(kind, tried, refused, tried - refused - failures.size(), failures);
        System.out.println(r.line());
        return r;
    }
}
