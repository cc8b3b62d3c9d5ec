package io.github.fastdl4j.serve.vision;

import io.github.fastdl4j.serve.http.ApiError;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * Dynamic batching, as TorchServe and DJL Serving do it: requests arriving together are
 * collected, up to {@code maxBatch} or until {@code maxWaitMs} after the first, and answered by one
 * forward pass on one worker thread (which also keeps the model to one thread).
 *
 * <p>A batch waits only for requests already on their way when it starts: a request says so with
 * {@link #arriving()} before it decodes its input, and hands the input in through its
 * {@link Arrival}. The batch takes what is queued and waits (up to {@code maxWaitMs}) for the
 * requests that were decoding at that moment, not for later ones: those make up the next batch,
 * with the requests that come while this one runs. With none on the way it goes at once (waiting
 * would only add latency: the clients that could add to it are waiting for answers); a lone request
 * no longer waits {@code maxWaitMs} for company that cannot come, and under steady load a batch no
 * longer waits the full {@code maxWaitMs} for a stream of newcomers.
 *
 * @param <I> one request's input
 * @param <O> one request's output
 */
public final class Batcher<I, O> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);

    private record Job<I, O>(I input, CompletableFuture<O> result) {
    }

    private final BlockingQueue<Job<I, O>> queue;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final Function<List<I>, List<O>> forward;
    private final IntConsumer batchSizes;
    private final Thread worker;
    /** Requests that said they are {@link #arriving()} and have not submitted (or given up) yet. */
    private final AtomicInteger coming = new AtomicInteger();
    /** Queued by a request that gives up on its way (a bad image), so that a batch waiting for it stops waiting. */
    private final Job<I, O> gaveUp = new Job<>(null, null);
    private volatile boolean closed;

    /** A request on its way: submit its input through it; closing it without submitting says it will not come. */
    public final class Arrival implements AutoCloseable {
        private boolean here;

        private Arrival() {
        }

        /** Queues the input (see {@link Batcher#submit}). */
        public CompletableFuture<O> submit(I input) {
            if (!here) {
                // no longer coming before it is queued: counted twice, a batch would wait for it in vain;
                // counted in neither for a moment, it goes in the next batch
                here = true;
                coming.decrementAndGet();
            }
            return Batcher.this.submit(input);
        }

        /** Without a submit: the request will not come (its input was bad). */
        @Override
        public void close() {
            if (!here) {
                here = true;
                coming.decrementAndGet();
                queue.offer(gaveUp); // wakes a batch waiting for it; when the queue is full nobody waits
            }
        }
    }

    public Batcher(String name, int maxBatch, long maxWaitMs, int maxQueue, Function<List<I>, List<O>> forward, IntConsumer batchSizes) {
        this.queue = new ArrayBlockingQueue<>(maxQueue);
        this.maxBatch = maxBatch;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMs);
        this.forward = forward;
        this.batchSizes = batchSizes;
        this.worker = new Thread(this::loop, "batcher-" + name);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Says a request is on its way (decoding its input): a batch being collected waits for it, up to the max wait. */
    public Arrival arriving() {
        coming.incrementAndGet();
        return new Arrival();
    }

    /** Queues one input; the future completes with its output (or the batch's failure). 503 when the queue is full. */
    public CompletableFuture<O> submit(I input) {
        Job<I, O> job = new Job<>(input, new CompletableFuture<>());
        if (closed) {
            // retired while the request was on its way: answer it alone, on the model it started with
            run(List.of(job));
            return job.result();
        }
        if (!queue.offer(job)) {
            throw new ApiError(503, "too many images queued; try again");
        }
        return job.result();
    }

    private void loop() {
        boolean oneThread = false;
        List<Job<I, O>> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Job<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null || first == gaveUp) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                // this batch: what is queued now and what is on its way now, within the cap
                int target = (int) Math.min(maxBatch, 1L + queue.size() + coming.get());
                long deadline = System.nanoTime() + maxWaitNanos;
                while (batch.size() < target) {
                    Job<I, O> next = queue.poll();
                    if (next == null) {
                        long left = deadline - System.nanoTime();
                        next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : null;
                        if (next == null) {
                            break; // the wait is over
                        }
                    }
                    if (next == gaveUp) {
                        target--; // one that will not come (or a mark queued before this batch: it goes a little sooner)
                    } else {
                        batch.add(next);
                    }
                }
                if (!oneThread) {
                    // One OpenMP thread for the native libraries' forward passes (ND4J, oneDNN) on this
                    // worker: the server's concurrency is its requests, and a forward pass of a small batch
                    // split over the cores waits at every layer for a core that a request (or, on a shared
                    // machine, another process) holds; measured on 2 busy cores, a 16-image MNIST pass took
                    // 1-5 ms with two threads (an 8-image one up to 47 ms) and 0.3-1.2 ms with one.
                    // OpenMP keeps the setting per thread; set at the first batch, when the model has
                    // loaded the backend.
                    oneNativeThread();
                    oneThread = true;
                }
                run(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private synchronized void run(List<Job<I, O>> batch) {
        try {
            List<O> out = forward.apply(batch.stream().map(Job::input).toList());
            batchSizes.accept(batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result().complete(out.get(i));
            }
        } catch (RuntimeException | OutOfMemoryError e) {
            LOG.warn("a batch of {} failed: {}", batch.size(), String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
            batch.forEach(j -> j.result().completeExceptionally(e));
        }
    }

    /**
     * The size a forward pass of {@code n} inputs runs at: the next power of two (at least {@code n},
     * at most {@code maxBatch} unless {@code n} is larger), the extra rows copies of a real one whose
     * answers are dropped. The models keep their per-size state for the last few sizes only (FastNet's
     * oneDNN plans, TabularNet's buffers: 4 each), and rebuilding it for every new size cost more than
     * the pass itself when batch sizes came from 1 to 32; a row's answer does not depend on the
     * batch it is in (checked by the tests).
     */
    public int paddedSize(int n) {
        int p = Integer.highestOneBit(Math.max(1, n));
        if (p < n) {
            p <<= 1;
        }
        return Math.max(n, Math.min(p, maxBatch));
    }

    /** Sets the calling thread's OpenMP thread count to 1 (the backend's libraries share one OpenMP runtime). */
    static void oneNativeThread() {
        try {
            Nd4j.getBackend(); // loaded before its native operations are asked for
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("cannot set the native thread count: {}", String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /** Waits for a queued input's output (30 s at most: 503); the batch's failure is a server error. */
    public static <O> O await(CompletableFuture<O> f) {
        try {
            return f.get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "interrupted");
        } catch (TimeoutException e) {
            throw new ApiError(503, "the model did not answer in 30 s");
        } catch (ExecutionException e) {
            throw new IllegalStateException("the forward pass failed", e.getCause());
        }
    }

    /** Stops taking new work once the queue is drained (requests already queued are answered). */
    @Override
    public void close() {
        closed = true;
    }
}
