package io.github.fastdl4j.serve.vision;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOps;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batching policy: wait for requests on their way, never for requests that have not come. */
class BatcherTest {

    private final List<Integer> sizes = new CopyOnWriteArrayList<>();

    /** Doubles each input; a wait of 3 s so that any wait for company shows. */
    private Batcher<Integer, Integer> batcher() {
        return new Batcher<>("test", 32, 3_000, 16, in -> in.stream().map(i -> 2 * i).toList(), sizes::add);
    }

    @Test
    void aLoneRequestIsAnsweredWithoutWaitingTheMaxWait() throws Exception {
        try (Batcher<Integer, Integer> b = batcher()) {
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                CompletableFuture<Integer> f;
                try (Batcher<Integer, Integer>.Arrival a = b.arriving()) {
                    f = a.submit(21);
                }
                assertEquals(42, f.get(10, TimeUnit.SECONDS));
                // before: every batch waited the full 3 s for more requests, though none was on its way
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(ms < 1_500, "answered in " + ms + " ms");
            }
            assertEquals(List.of(1, 1, 1), sizes);
        }
    }

    @Test
    void aBatchWaitsForARequestOnItsWay() throws Exception {
        try (Batcher<Integer, Integer> b = batcher()) {
            Batcher<Integer, Integer>.Arrival late = b.arriving(); // decoding its input
            CompletableFuture<Integer> first;
            try (Batcher<Integer, Integer>.Arrival a = b.arriving()) {
                first = a.submit(1);
            }
            Thread.sleep(300);
            assertTrue(!first.isDone(), "the batch waits for the request on its way");
            CompletableFuture<Integer> second = late.submit(2);
            assertEquals(2, first.get(10, TimeUnit.SECONDS));
            assertEquals(4, second.get(10, TimeUnit.SECONDS));
            assertEquals(List.of(2), sizes, "one forward pass for both");
        }
    }

    @Test
    void aRequestThatGivesUpEndsTheWait() throws Exception {
        try (Batcher<Integer, Integer> b = batcher()) {
            Batcher<Integer, Integer>.Arrival broken = b.arriving(); // will fail to decode its image
            CompletableFuture<Integer> first;
            try (Batcher<Integer, Integer>.Arrival a = b.arriving()) {
                first = a.submit(5);
            }
            long t0 = System.nanoTime();
            broken.close();
            assertEquals(10, first.get(10, TimeUnit.SECONDS));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(ms < 1_500, "answered " + ms + " ms after the other gave up");
            assertEquals(List.of(1), sizes);
        }
    }

    @Test
    void theBatchIsCappedAndAnswersKeepTheirOrder() throws Exception {
        try (Batcher<Integer, Integer> b = new Batcher<>("cap", 3, 3_000, 16, in -> in.stream().map(i -> 2 * i).toList(), sizes::add)) {
            List<Batcher<Integer, Integer>.Arrival> arrivals = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                arrivals.add(b.arriving());
            }
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                answers.add(arrivals.get(i).submit(i));
            }
            for (int i = 0; i < 7; i++) {
                assertEquals(2 * i, answers.get(i).get(10, TimeUnit.SECONDS));
            }
            assertEquals(7, sizes.stream().mapToInt(Integer::intValue).sum());
            assertTrue(sizes.stream().allMatch(s -> s <= 3), sizes.toString());
        }
    }

    @Test
    void forwardPassesRunWithOneNativeThread() throws Exception {
        Nd4j.create(1); // the backend loaded, as a model's loading does
        NativeOps ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        try (Batcher<Integer, Integer> b = new Batcher<>("omp", 4, 0, 4, in -> in.stream().map(i -> ops.ompGetMaxThreads()).toList(),
                sizes::add)) {
            // before: the worker split each small forward pass over every core (and waited for them at every layer)
            assertEquals(1, b.submit(0).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void forwardPassesRunAtAFewSizes() {
        try (Batcher<Integer, Integer> b = new Batcher<>("sizes", 32, 0, 4, in -> in, sizes::add);
             Batcher<Integer, Integer> odd = new Batcher<>("odd", 20, 0, 4, in -> in, sizes::add)) {
            int[] want = {1, 2, 4, 4, 8, 8, 8, 8, 16, 16, 16, 16, 16, 16, 16, 16, 32};
            for (int n = 1; n <= 17; n++) {
                assertEquals(want[n - 1], b.paddedSize(n), "n=" + n);
            }
            assertEquals(32, b.paddedSize(32));
            assertEquals(40, b.paddedSize(40), "more rows than the batch cap (a tabular request of many rows): as they are");
            assertEquals(20, odd.paddedSize(17), "never above the cap");
        }
    }

    @Test
    void aBatchDoesNotWaitForRequestsThatSetOutAfterItStarted() throws Exception {
        try (Batcher<Integer, Integer> b = batcher()) {
            Batcher<Integer, Integer>.Arrival late = b.arriving();
            CompletableFuture<Integer> first;
            try (Batcher<Integer, Integer>.Arrival a = b.arriving()) {
                first = a.submit(1);
            }
            Thread.sleep(200); // the batch has started, waiting for the late one
            Batcher<Integer, Integer>.Arrival newcomer = b.arriving(); // under load there is always one more on its way
            long t0 = System.nanoTime();
            CompletableFuture<Integer> second = late.submit(2);
            assertEquals(2, first.get(10, TimeUnit.SECONDS));
            assertEquals(4, second.get(10, TimeUnit.SECONDS));
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            // before: the batch waited while anyone was on its way, so under steady load always the full max wait
            assertTrue(ms < 1_500, "went " + ms + " ms after the last one it waited for");
            assertEquals(List.of(2), sizes);
            CompletableFuture<Integer> third = newcomer.submit(3);
            assertEquals(6, third.get(10, TimeUnit.SECONDS), "the next batch");
        }
    }

    @Test
    void manyRequestsSomeGivingUpAreAllAnsweredWithTheirOwnOutputs() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Batcher<Integer, Integer> b = new Batcher<>("many", 5, 50, 1024, in -> in.stream().map(i -> 2 * i).toList(), sizes::add)) {
            List<Future<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 1_600; i++) {
                int x = i;
                all.add(pool.submit(() -> {
                    try (Batcher<Integer, Integer>.Arrival a = b.arriving()) {
                        Thread.onSpinWait();
                        if (x % 10 == 3) {
                            return -1; // a bad input: gives up without submitting
                        }
                        return Batcher.await(a.submit(x));
                    }
                }));
            }
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i % 10 == 3 ? -1 : 2 * i, all.get(i).get(30, TimeUnit.SECONDS), "request " + i);
            }
            assertEquals(1_440, sizes.stream().mapToInt(Integer::intValue).sum(), "each submitted input once");
            assertTrue(sizes.stream().allMatch(n -> n >= 1 && n <= 5), sizes.toString());
        } finally {
            pool.shutdownNow();
        }
    }
}
