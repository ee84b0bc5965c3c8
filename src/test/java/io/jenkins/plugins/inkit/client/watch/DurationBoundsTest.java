package io.jenkins.plugins.inkit.client.watch;

import static io.jenkins.plugins.inkit.client.TestClients.HTTP;
import static io.jenkins.plugins.inkit.client.TestClients.TOKENS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.Cancellation;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.LaunchTesting;
import java.time.Duration;
import java.time.Instant;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

/** Durations from users are bounded before any arithmetic: no overflow, a message that says the limit. */
class DurationBoundsTest {

    @Test
    void aWaitLongerThanThirtyDaysIsRefusedSayingTheLimit() throws Exception {
        WatchState longest = new WatchState("fb_1", true, Instant.now(), WatchState.MAX_TIMEOUT);
        assertEquals(Duration.ofDays(30), Duration.between(longest.start(), longest.deadline()));
        for (Duration absurd : new Duration[] {
            WatchState.MAX_TIMEOUT.plusSeconds(1), Duration.ofHours(2_600_000), Duration.ofSeconds(Long.MAX_VALUE)
        }) {
            InkitException e =
                    assertThrows(InkitException.class, () -> new WatchState("fb_1", true, Instant.now(), absurd));
            assertEquals(InkitException.Kind.INVALID_INPUT, e.kind());
            assertTrue(e.getMessage().contains("a wait may last at most 720h (30 days)"), e.getMessage());
        }
    }

    @Test
    void anAbsurdBudgetIsReadAsAYearNotAnOverflow() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            server.enqueue(new MockResponse.Builder()
                    .body("{\"id\": \"fb_1\", \"total\": 0}")
                    .build());
            server.enqueue(new MockResponse.Builder()
                    .code(201)
                    .body(LaunchTesting.launched("fb_2"))
                    .build());
            InkitClient client = new InkitClient(HTTP, server.url("/").toString());
            Duration absurd = Duration.ofSeconds(Long.MAX_VALUE);
            assertEquals("fb_1", client.fetchBatch("fb_1", TOKENS, absurd).id());
            assertEquals(
                    "fb_2",
                    client.launchBatch(LaunchTesting.request(), TOKENS, absurd, new Cancellation())
                            .id());
        }
    }
}
