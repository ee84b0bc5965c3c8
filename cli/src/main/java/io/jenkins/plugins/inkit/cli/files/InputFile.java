package io.jenkins.plugins.inkit.cli.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/**
 * A file the user named, read bounded: only a regular file (a device such as /dev/zero or a FIFO may
 * never end, or never start), never more than a limit, whatever the file system says its size is,
 * and never for longer than the command may take: a hung network mount, or a pipe put in the file's
 * place between the check and the open, would otherwise hold the command forever.
 */
public final class InputFile {

    /** Why a file cannot be used, in words to follow its name: "does not exist". */
    public static final class Unusable extends Exception {
        private static final long serialVersionUID = 1L;

        private final boolean notAFile;

        Unusable(String why) {
            this(why, false);
        }

        Unusable(String why, boolean notAFile) {
            super(why, null, false, false);
            this.notAFile = notAFile;
        }

        /** A directory, a device, a pipe: what to give instead is a file. */
        public boolean notAFile() {
            return notAFile;
        }
    }

    private InputFile() {}

    /**
     * @param name the file as given
     * @param maxBytes the most that is read
     * @param tooLarge what to say of a larger file: "is larger than 10 MiB, which no file of certificates is"
     * @param within how long the file system may take to give it
     */
    public static byte[] read(String name, long maxBytes, String tooLarge, Duration within) throws Unusable {
        Path file;
        try {
            file = Path.of(name);
        } catch (InvalidPathException e) {
            throw new Unusable("is not a valid file name");
        }
        return read(file, maxBytes, tooLarge, within);
    }

    /** As {@link #read(String, long, String, Duration)}. */
    public static byte[] read(Path file, long maxBytes, String tooLarge, Duration within) throws Unusable {
        return Deadline.within(within, () -> readNow(file, maxBytes, tooLarge));
    }

    private static byte[] readNow(Path file, long maxBytes, String tooLarge) throws Unusable {
        BasicFileAttributes attributes = attributes(file);
        if (attributes.isDirectory()) {
            throw new Unusable("is a directory, not a file", true);
        }
        if (!attributes.isRegularFile()) {
            throw new Unusable("is not a regular file but a device, a pipe or a socket, which may never end", true);
        }
        // Files.size can be wrong (a file still growing, /proc): one byte more than allowed tells a larger file.
        int limit = (int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(limit);
            if (bytes.length > maxBytes) {
                throw new Unusable(tooLarge);
            }
            return bytes;
        } catch (IOException | SecurityException e) {
            throw unreadable(e);
        }
    }

    private static BasicFileAttributes attributes(Path file) throws Unusable {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new Unusable("does not exist");
        } catch (IOException | SecurityException e) {
            throw unreadable(e);
        }
    }

    private static Unusable unreadable(Exception e) {
        if (e instanceof AccessDeniedException || e instanceof SecurityException) {
            return new Unusable("cannot be read: permission denied");
        }
        return new Unusable("cannot be read (" + e.getClass().getSimpleName() + ")");
    }
}
