package io.jenkins.plugins.inkit.client.text;

/**
 * A throwable as it may be logged: its class and stack trace, down its causes, without a word of
 * its messages. A library's message can quote what it was given (OkHttp quotes a rejected header
 * value, a parser the text it read), and a log is a place people read too.
 */
public final class SafeThrowables {

    private static final int MAX_CAUSES = 10;

    private SafeThrowables() {}

    public static Throwable of(Throwable t) {
        return copy(t, 0);
    }

    private static Throwable copy(Throwable t, int depth) {
        Throwable cause =
                t.getCause() == null || t.getCause() == t || depth >= MAX_CAUSES ? null : copy(t.getCause(), depth + 1);
        Throwable safe = new Redacted(t.getClass().getName(), cause);
        safe.setStackTrace(t.getStackTrace());
        return safe;
    }

    /** Stands for the original: its name, "(message not logged)", the original's frames. */
    private static final class Redacted extends Throwable {
        private static final long serialVersionUID = 1L;

        Redacted(String className, Throwable cause) {
            super(className + " (its message is not logged: it may quote a secret)", cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
