package io.jenkins.plugins.inkit.client.watch;

import static io.jenkins.plugins.inkit.client.TestBatches.batch;
import static io.jenkins.plugins.inkit.client.TestBatches.dest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.ManualScheduler;
import io.jenkins.plugins.inkit.client.MockInkitTest;
import io.jenkins.plugins.inkit.client.TestClients;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.model.Batch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/** Every wait ends at its deadline, whatever part of it never came back. */
class DeadlineBackstopTest extends MockInkitTest {

    static final String ID = "fb_late";

    final ManualScheduler scheduler = new ManualScheduler(clock);
    final List<Batch> finished = new ArrayList<>();
    final List<InkitException> failed = new ArrayList<>();

    BatchWatch watch(WatchState state, TokenSource tokens, java.util.concurrent.Executor io) {
        return new BatchWatch(
                client,
                tokens,
                state,
                PollingPolicy.DEFAULT,
                RetryPolicy.DEFAULT,
                scheduler,
                io,
                clock,
                new WatchListener() {
                    @Override
                    public void finished(Batch batch) {
                        finished.add(batch);
                    }

                    @Override
                    public void failed(InkitException error) {
                        failed.add(error);
                    }
                });
    }

    @Test
    void aLookStillQueuedForAThreadAtTheDeadlineEndsTheWaitSayingSo() throws Exception {
        // Every request thread is taken: the look is handed over, but no thread ever runs it.
        List<Runnable> queue = new ArrayList<>();
        WatchState state = new WatchState(ID, false, clock.instant(), Duration.ofSeconds(45));
        watch(state, TestClients.TOKENS, queue::add).start();
        scheduler.runNext(); // the look is due at once: it joins the queue
        assertEquals(1, queue.size());
        assertTrue(failed.isEmpty());
        scheduler.runNext(); // the backstop
        assertEquals(state.deadline().plus(Operation.DEADLINE_GRACE), clock.instant(), "at the deadline, not later");
        assertEquals(1, failed.size());
        InkitException e = failed.get(0);
        assertEquals(InkitException.Kind.TIMED_OUT, e.kind());
        assertTrue(e.getMessage().startsWith("Inkit batch fb_late could not be read within 45s."), e.getMessage());
        assertTrue(
                e.getMessage().contains("for a free request thread here and was never sent")
                        && e.getMessage().contains("this is not Inkit's delay"),
                e.getMessage());
        // The queued look, run at last, sends nothing and tells nothing.
        queue.get(0).run();
        assertEquals(0, server.getRequestCount());
        assertEquals(1, failed.size());
        assertTrue(finished.isEmpty());
        assertTrue(scheduler.isEmpty());
    }

    @Test
    void aLookThatLeftTheQueueTooLateSaysWhyItHadNoTime() throws Exception {
        List<Runnable> queue = new ArrayList<>();
        WatchState state = new WatchState(ID, false, clock.instant(), Duration.ofSeconds(45));
        watch(state, TestClients.TOKENS, queue::add).start();
        scheduler.runNext(); // the look joins the queue
        Thread.sleep(1_100); // waits there, on the real clock that measures the queue
        clock.advance(Duration.ofSeconds(46)); // and by the time a thread takes it, the limit has passed
        queue.remove(0).run();
        assertEquals(1, failed.size());
        String message = failed.get(0).getMessage();
        assertTrue(message.startsWith("Inkit batch fb_late could not be read within 45s."), message);
        assertTrue(message.contains("for a free request thread here, which left it too little time"), message);
        assertEquals(0, server.getRequestCount(), "nothing was sent with no time left");
    }

    @Test
    void aTokenSourceThatHangsCannotHoldTheWaitPastItsDeadline() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch asked = new CountDownLatch(1);
        TokenSource hanging = new TokenSource() {
            @Override
            public String token() {
                asked.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return TestClients.TOKEN;
            }

            @Override
            public String description() {
                return "a credentials provider that hangs";
            }
        };
        ExecutorService io = Executors.newSingleThreadExecutor();
        try {
            WatchState state = new WatchState(ID, true, clock.instant(), Duration.ofMinutes(2));
            watch(state, hanging, io).start();
            scheduler.runNext();
            assertTrue(asked.await(10, TimeUnit.SECONDS), "the look began");
            scheduler.runNext(); // the backstop, while the look hangs
            assertEquals(1, failed.size());
            assertTrue(
                    failed.get(0).getMessage().startsWith("Inkit batch fb_late did not finish within 2m."),
                    failed.get(0).getMessage());
            assertFalse(failed.get(0).getMessage().contains("free request thread"), "the look was not queued");
            server.enqueue(new MockResponse.Builder()
                    .body(batch(ID, 1, dest("box", 1, 1, 0, 0)))
                    .build());
            release.countDown();
            io.shutdown();
            assertTrue(io.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(1, failed.size(), "ended once");
            assertTrue(finished.isEmpty());
        } finally {
            io.shutdownNow();
        }
    }

    @Test
    void theBackstopChangesNothingForAWaitThatEndedByItself() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .body(batch(ID, 1, dest("box", 1, 1, 0, 0)))
                .build());
        watch(new WatchState(ID, true, clock.instant(), Duration.ofMinutes(2)), TestClients.TOKENS, Runnable::run)
                .start();
        scheduler.runNext();
        assertEquals(1, finished.size());
        assertTrue(scheduler.isEmpty(), "the backstop was called off");
        assertTrue(failed.isEmpty());
    }
}
