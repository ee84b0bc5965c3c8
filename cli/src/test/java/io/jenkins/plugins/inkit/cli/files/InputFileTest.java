package io.jenkins.plugins.inkit.cli.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFileTest {

    static final String TOO_LARGE = "is larger than the test allows";

    @TempDir
    Path dir;

    static void assertUnusable(String name, long max, String why) {
        InputFile.Unusable e = assertThrows(InputFile.Unusable.class, () -> InputFile.read(name, max, TOO_LARGE));
        assertEquals(why, e.getMessage());
    }

    @Test
    void readsARegularFileUpToTheLimitAndRefusesOneByteMore() throws Exception {
        Path ten = Files.write(dir.resolve("ten"), new byte[10]);
        assertArrayEquals(new byte[10], InputFile.read(ten, 10, TOO_LARGE));
        assertUnusable(ten.toString(), 9, TOO_LARGE);
        assertEquals(0, InputFile.read(Files.write(dir.resolve("empty"), new byte[0]), 10, TOO_LARGE).length);
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
        assertTrue(InputFile.read(status, 1 << 20, TOO_LARGE).length > 0);
        assertUnusable(status.toString(), 8, TOO_LARGE);
    }
}
