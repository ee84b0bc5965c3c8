package io.jenkins.plugins.inkit.client;

import io.jenkins.plugins.inkit.client.text.Excerpts;
import java.util.regex.Pattern;

/** What a batch ID may look like, checked before any request so that no path can be smuggled in. */
public final class BatchIds {

    public static final int MAX_LENGTH = 128;
    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9_-]+");

    private BatchIds() {}

    /** What is wrong with the ID, or {@code null} when it is usable. */
    public static String problem(String batchId) {
        if (batchId == null || batchId.isBlank()) {
            return "The batch ID is empty. Give the ID Inkit returned when the batch was launched, such as fb_4AO6oyjh5yc9jvRKJplghb.";
        }
        String id = batchId.strip();
        if (id.length() > MAX_LENGTH) {
            return "The batch ID is " + id.length() + " characters long; Inkit batch IDs have at most " + MAX_LENGTH
                    + ".";
        }
        if (!ALLOWED.matcher(id).matches()) {
            return "The batch ID '" + Excerpts.printable(id, 40)
                    + "' may contain only letters, digits, '_' and '-', such as fb_4AO6oyjh5yc9jvRKJplghb.";
        }
        return null;
    }

    /** The ID without surrounding blanks, or an {@link InkitException.Kind#INVALID_INPUT}. */
    public static String requireValid(String batchId) throws InkitException {
        String problem = problem(batchId);
        if (problem != null) {
            throw new InkitException(InkitException.Kind.INVALID_INPUT, problem);
        }
        return batchId.strip();
    }
}
