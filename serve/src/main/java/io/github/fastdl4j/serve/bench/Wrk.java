package io.github.fastdl4j.serve.bench;

import io.github.fastdl4j.common.data.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the {@code wrk} load generator against one URL on 127.0.0.1 and reads its figures. */
public final class Wrk {

    /**
     * What one run measured.
     *
     * @param requestsPerSec completed requests per second
     * @param p50Ms          median latency
     * @param p99Ms          99th-percentile latency
     * @param requests       requests completed
     * @param errors         non-2xx answers plus socket errors
     */
    public record Result(double requestsPerSec, double p50Ms, double p99Ms, long requests, long errors) {
    }

    private Wrk() {
    }

    /** Whether wrk is on the PATH. */
    public static boolean available() {
        try {
            Process p = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            p.waitFor(10, TimeUnit.SECONDS);
            return true;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Loads {@code url} for {@code seconds} with {@code connections} connections; a POST sends
     * {@code body} (a file) as {@code type}.
     */
    public static Result run(String url, int threads, int connections, int seconds, String type, Path body, Path scratch)
            throws IOException, InterruptedException {
        if (!url.startsWith("http://127.0.0.1:")) {
            throw new IllegalArgumentException("the bench loads 127.0.0.1 only");
        }
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency"));
        if (body != null) {
            Path lua = scratch.resolve("post-" + System.nanoTime() + ".lua");
            String path = body.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"");
            Files.writeString(lua, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"" + type + "\"\n"
                    + "local f = io.open(\"" + path + "\", \"rb\")\nwrk.body = f:read(\"*all\")\nf:close()\n", StandardCharsets.UTF_8);
            cmd.addAll(List.of("-s", lua.toString()));
        }
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new BadInputException("wrk failed: " + BadInputException.oneLine(out));
        }
        return parse(out);
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([\\d.]+)");
    private static final Pattern DONE = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");
    private static final Pattern SOCKET = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

    static Result parse(String out) {
        Matcher rps = RPS.matcher(out);
        Matcher done = DONE.matcher(out);
        if (!rps.find() || !done.find()) {
            throw new BadInputException("cannot read wrk's output: " + BadInputException.oneLine(out));
        }
        long errors = 0;
        Matcher n = NON2XX.matcher(out);
        if (n.find()) {
            errors += Long.parseLong(n.group(1));
        }
        Matcher s = SOCKET.matcher(out);
        if (s.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(s.group(g));
            }
        }
        return new Result(Double.parseDouble(rps.group(1)), percentile(out, "50%"), percentile(out, "99%"), Long.parseLong(done.group(1)),
                errors);
    }

    private static double percentile(String out, String which) {
        Matcher m = Pattern.compile("^\\s+" + Pattern.quote(which) + "\\s+([\\d.]+)(us|ms|s|m)\\s*$", Pattern.MULTILINE).matcher(out);
        if (!m.find()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "us" -> v / 1000;
            case "ms" -> v;
            case "s" -> v * 1000;
            default -> v * 60_000;
        };
    }
}
