package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.InkitException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TimeLeftTest {

    @Test
    void theRequestsGetWhatTheFilesLeft() throws Exception {
        TimeLeft time = new TimeLeft(Duration.ofHours(1));
        Duration left = time.forRequests("reading the flows file", "nothing was launched");
        assertTrue(left.compareTo(Duration.ofHours(1)) <= 0, left.toString());
        assertTrue(left.compareTo(Duration.ofMinutes(59)) > 0, left.toString());
    }

    @Test
    void filesThatTookAlmostAllTheTimeLeaveNoRequestUndecided() throws Exception {
        // A quarter of 400 ms is what a request is given; the files took 350 ms of them.
        TimeLeft time = new TimeLeft(Duration.ofMillis(400));
        Thread.sleep(350);
        InkitException e =
                assertThrows(InkitException.class, () -> time.forRequests("reading the files", "nothing was launched"));
        assertEquals(InkitException.Kind.INVALID_INPUT, e.kind());
        assertEquals(
                "The timeout of 400ms was used up reading the files, leaving too little for Inkit: nothing was"
                        + " launched. Raise --timeout, or give the files from a faster file system.",
                e.getMessage());
    }
}
