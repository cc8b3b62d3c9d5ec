package io.github.fastdl4j.serve.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** wrk's report read into figures: rate, percentiles in any unit, errors of both kinds. */
class WrkTest {

    @Test
    void readsRatePercentilesAndErrors() {
        String out = """
                Running 10s test @ http://127.0.0.1:41234/health
                  2 threads and 16 connections
                  Thread Stats   Avg      Stdev     Max   +/- Stdev
                    Latency   812.33us    1.02ms  30.11ms   94.12%
                    Req/Sec    10.52k     1.01k   12.40k    70.00%
                  Latency Distribution
                     50%  640.00us
                     75%    0.90ms
                     90%    1.30ms
                     99%    2.50ms
                  209401 requests in 10.00s, 30.15MB read
                  Socket errors: connect 0, read 2, write 0, timeout 1
                  Non-2xx or 3xx responses: 4
                Requests/sec:  20940.12
                Transfer/sec:      3.02MB
                """;
        Wrk.Result r = Wrk.parse(out);
        assertEquals(20940.12, r.requestsPerSec(), 1e-9);
        assertEquals(0.64, r.p50Ms(), 1e-9);
        assertEquals(2.5, r.p99Ms(), 1e-9);
        assertEquals(209401, r.requests());
        assertEquals(7, r.errors());
        assertEquals(1500, Wrk.parse(out.replace("2.50ms", "1.50s")).p99Ms(), 1e-9);
    }
}
