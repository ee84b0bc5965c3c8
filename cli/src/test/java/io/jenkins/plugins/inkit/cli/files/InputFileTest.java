package io.jenkins.plugins.inkit.cli.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFileTest {

    static final String TOO_LARGE = "is larger than the test allows";
    static final Duration WITHIN = Duration.ofMinutes(1);

    @TempDir
    Path dir;

    static void assertUnusable(String name, long max, String why) {
        InputFile.Unusable e =
                assertThrows(InputFile.Unusable.class, () -> InputFile.read(name, max, TOO_LARGE, WITHIN));
        assertEquals(why, e.getMessage());
    }

    @Test
    void readsARegularFileUpToTheLimitAndRefusesOneByteMore() throws Exception {
        Path ten = Files.write(dir.resolve("ten"), new byte[10]);
        assertArrayEquals(new byte[10], InputFile.read(ten, 10, TOO_LARGE, WITHIN));
        assertUnusable(ten.toString(), 9, TOO_LARGE);
        assertEquals(0, InputFile.read(Files.write(dir.resolve("empty"), new byte[0]), 10, TOO_LARGE, WITHIN).length);
    }

    @Test
    void whatIsNotAFileSaysSo() {
        assertUnusable(dir.resolve("missing.json").toString(), 10, "does not exist");
        assertUnusable(dir.toString(), 10, "is a directory, not a file");
        assertUnusable("bad\u0000name", 10, "is not a valid file name");
    }

    @Test
    void aDeviceThatNeverEndsIsRefusedUnread() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/zero")), "a system with /dev/zero");
        String why = "is not a regular file but a device, a pipe or a socket, which may never end";
        assertUnusable("/dev/zero", Long.MAX_VALUE, why);
        // A link is followed, and what it points at decides.
        Path link = Files.createSymbolicLink(dir.resolve("flows.json"), Path.of("/dev/zero"));
        assertUnusable(link.toString(), Long.MAX_VALUE, why);
    }

    @Test
    void theSizeTheFileSystemReportsIsNotTrusted() throws Exception {
        // Files in /proc say they are empty, yet hold text: the limit applies to what is read.
        Path status = Path.of("/proc/self/status");
        assumeTrue(Files.isRegularFile(status) && Files.size(status) == 0, "a Linux /proc");
        assertTrue(InputFile.read(status, 1 << 20, TOO_LARGE, WITHIN).length > 0);
        assertUnusable(status.toString(), 8, TOO_LARGE);
    }

    /** A FIFO made by the system's mkfifo: opening it to read blocks until something opens it to write. */
    Path fifo() throws Exception {
        Path fifo = dir.resolve("flows.fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "a system with mkfifo");
            throw e;
        }
        assumeTrue(mkfifo.waitFor() == 0 && Files.exists(fifo), "mkfifo made a FIFO");
        return fifo;
    }

    @Test
    void aReadTheFileSystemNeverAnswersEndsAtItsDeadline() throws Exception {
        // What a FIFO swapped in after the regular-file check, or a hung network mount, does to a
        // read: the open itself blocks, and no interrupt ends it.
        Path fifo = fifo();
        InputFile.Unusable e = assertTimeoutPreemptively(
                Duration.ofSeconds(30),
                () -> assertThrows(
                        InputFile.Unusable.class,
                        () -> Deadline.within(Duration.ofMillis(300), () -> {
                            try {
                                return Files.readAllBytes(fifo);
                            } catch (IOException io) {
                                throw new InputFile.Unusable("cannot be read");
                            }
                        })));
        assertEquals(
                "could not be read within 300ms: the file system did not give it (a network mount that hangs, or a"
                        + " pipe with no writer)",
                e.getMessage());
        Thread reader = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("inkit-file-reader") && t.isAlive())
                .findFirst()
                .orElseThrow(() -> new AssertionError("the reader is left behind, still blocked"));
        assertTrue(reader.isDaemon(), "a daemon thread never keeps the command from exiting");
        // A writer ends the open: the reader then ends too, interrupted, perhaps closing its end
        // before anything is written (a broken pipe here, which does not matter).
        try (OutputStream writer = Files.newOutputStream(fifo)) {
            writer.write('x');
        } catch (IOException brokenPipe) {
            // The reader was already gone.
        }
        reader.join(10_000);
        assertFalse(reader.isAlive(), "the reader ends once the file system answers");
    }

    @Test
    void whatTheReadThrowsComesThroughAsItWas() {
        InputFile.Unusable unusable = new InputFile.Unusable("is what the read said");
        assertSame(
                unusable,
                assertThrows(
                        InputFile.Unusable.class,
                        () -> Deadline.within(WITHIN, () -> {
                            throw unusable;
                        })));
        // Running out of memory is the caller's to explain, with advice.
        OutOfMemoryError oom = new OutOfMemoryError("test");
        assertSame(
                oom,
                assertThrows(
                        OutOfMemoryError.class,
                        () -> Deadline.within(WITHIN, () -> {
                            throw oom;
                        })));
        InputFile.Unusable other = assertThrows(
                InputFile.Unusable.class,
                () -> Deadline.within(WITHIN, () -> {
                    throw new IllegalStateException("a message that is not shown");
                }));
        assertEquals("cannot be read (IllegalStateException)", other.getMessage());
    }
}
