package io.github.fastdl4j.collab.spark;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.rpc.RpcAddress;
import org.apache.spark.rpc.RpcEnv;
import org.apache.spark.rpc.RpcTimeoutException;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spark sessions for fastdl4j jobs: a checked master URL, a quiet UI, and one clear line when the
 * master is wrong or cannot be reached, within seconds rather than after Spark's own minute of
 * retries and pages of logging.
 */
public final class SparkSessions {

    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\*|[1-9]\\d{0,3})(,\\s*\\d{1,3})?])?");
    private static final Pattern STANDALONE = Pattern.compile("spark://([^,/]+:\\d{1,5})(,[^,/]+:\\d{1,5})*");
    /** How long a standalone master may take to accept a connection. */
    static final int CONNECT_TIMEOUT_MS = 5_000;
    /**
     * How long a reachable standalone master may take to answer as one: Spark itself would retry
     * the registration three times 20 s each against a port that accepts and never answers.
     */
    static final String ANSWER_TIMEOUT = "5s";

    private SparkSessions() {
    }

    /**
     * Checks a master URL's form: {@code local}, {@code local[N]}, {@code local[*]},
     * {@code local[N,F]} or {@code spark://host:port[,host:port...]}; anything else is an
     * {@link IllegalArgumentException} (a usage error on the command line).
     */
    public static String checkMaster(String master) {
        String m = master.strip();
        if (!LOCAL.matcher(m).matches() && !STANDALONE.matcher(m).matches()) {
            throw new IllegalArgumentException("unsupported Spark master '" + master
                    + "' (local, local[N], local[*] or spark://host:port)");
        }
        if (m.startsWith("spark://")) {
            for (String hostPort : m.substring("spark://".length()).split(",")) {
                int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("Spark master '" + master + "': port " + port + " is not 1..65535");
                }
            }
        }
        return m;
    }

    /**
     * A session on {@code master}. A standalone master is first reached over TCP (within
     * {@value #CONNECT_TIMEOUT_MS} ms); an unreachable one, a bad URL or a context that stops while
     * starting is an {@link IllegalArgumentException} with one line naming the master.
     */
    public static SparkSession local(String master) {
        String m = checkMaster(master);
        Matcher sm = STANDALONE.matcher(m);
        if (sm.matches()) {
            requireReachable(m);
        }
        Level before = LogManager.getLogger("org.apache.spark").getLevel();
        // Spark logs a failed start as pages of errors and stack traces: the one line below says it
        Configurator.setLevel("org.apache.spark", Level.OFF);
        try {
            SparkSession spark = SparkSession.builder().master(m).appName("fastdl4j collab-spark")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "8")
                    .config("spark.driver.host", "127.0.0.1")
                    .getOrCreate();
            if (spark.sparkContext().isStopped()) {
                throw new IllegalArgumentException("cannot start Spark with master '" + master + "': the context stopped");
            }
            return spark;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) { // Scala throws SparkException (checked) undeclared
            String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
            throw new IllegalArgumentException("cannot start Spark with master '" + master + "': " + why, e);
        } finally {
            Configurator.setLevel("org.apache.spark", before == null ? Level.WARN : before);
        }
    }

    /** Connects to each host:port of a {@code spark://} URL; none answering is one line. */
    static void requireReachable(String master) {
        List<String> failures = new ArrayList<>();
        for (String hostPort : master.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = hostPort.substring(0, colon);
            int port = Integer.parseInt(hostPort.substring(colon + 1));
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
            } catch (IOException | IllegalArgumentException e) {
                failures.add(hostPort + ": " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
                continue;
            }
            String notMaster = answersAsMaster(host, port);
            if (notMaster == null) {
                return;
            }
            failures.add(hostPort + ": " + notMaster);
        }
        throw new IllegalArgumentException("cannot reach Spark master '" + master + "' (" + String.join("; ", failures) + ")");
    }

    /**
     * Asks {@code host:port} for Spark's {@code Master} endpoint over Spark's own RPC, as the
     * driver's registration would, but once and within {@value #ANSWER_TIMEOUT}: null when a
     * standalone master answers, else why not (another service, or a port that accepts and says
     * nothing, which Spark would retry for over a minute).
     */
    static String answersAsMaster(String host, int port) {
        SparkConf conf = new SparkConf(false)
                .set("spark.rpc.lookupTimeout", ANSWER_TIMEOUT)
                .set("spark.rpc.askTimeout", ANSWER_TIMEOUT)
                .set("spark.network.timeout", ANSWER_TIMEOUT)
                .set("spark.driver.host", "127.0.0.1");
        Level before = LogManager.getLogger("org.apache.spark").getLevel();
        Configurator.setLevel("org.apache.spark", Level.OFF);
        RpcEnv env = null;
        try {
            SecurityManager security = new SecurityManager(conf, scala.Option.empty(),
                    org.apache.spark.SecurityManager$.MODULE$.$lessinit$greater$default$3());
            env = RpcEnv.create("fastdl4j-probe", "127.0.0.1", 0, conf, security, true);
            env.setupEndpointRef(new RpcAddress(host, port),
                    org.apache.spark.deploy.master.Master$.MODULE$.ENDPOINT_NAME());
            return null;
        } catch (Exception e) { // Scala's exceptions are undeclared
            Throwable t = e;
            while (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            }
            boolean silent = e instanceof RpcTimeoutException || t instanceof TimeoutException;
            return silent ? "accepts connections but gave no Spark master's answer within " + ANSWER_TIMEOUT + ": not a Spark master?"
                    : "not a Spark master (" + String.valueOf(t.getMessage()).lines().findFirst().orElse(t.getClass().getSimpleName()) + ")";
        } finally {
            if (env != null) {
                env.shutdown();
            }
            Configurator.setLevel("org.apache.spark", before == null ? Level.WARN : before);
        }
    }
}
