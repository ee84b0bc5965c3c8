package io.jenkins.plugins.inkit.client;

import java.time.Instant;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What a test against a stand-in Inkit starts from: a {@link MockWebServer} as Inkit, a clock the
 * test moves, and a client of that server on that clock, made anew for each test.
 */
public abstract class MockInkitTest {

    protected final MutableClock clock = new MutableClock(Instant.parse("2026-11-29T12:00:00Z"));
    protected MockWebServer server;
    protected InkitClient client;

    @BeforeEach
    protected final void startInkit() throws Exception {
        server = new MockWebServer();
        server.start();
        client = new InkitClient(TestClients.HTTP, server.url("/").toString(), clock);
    }

    @AfterEach
    protected final void stopInkit() {
        server.close();
    }
}
