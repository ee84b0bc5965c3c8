package io.jenkins.plugins.inkit.client.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.model.RunPage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns a page of {@code GET /v1/invoke} into a {@link RunPage}, reading the JSON as a stream,
 * token by token: what is not needed is skipped, and each run's parts are buffered only until the
 * end of its object. Only the page's outline is documented ({@code items} and
 * {@code metadata.pagination}), and a run's {@code destinations} not at all, so:
 *
 * <ul>
 *   <li>A page that is not {@code {"items": [...], ...}}, or whose pagination contradicts what was
 *       asked, cannot be trusted: an {@link InkitException.Kind#UNTRUSTED_RESPONSE}.
 *   <li>A run that cannot be read is kept as unreadable, with the reason; it never ends the page.
 *   <li>{@code destinations} may map each name to an object (its {@code status}, and the error
 *       text from the first string among {@code error}, {@code error_message}, {@code message},
 *       {@code detail}, {@code reason}, or {@code error.message}) or to a plain status string;
 *       {@code destination_status} may be one status word or an object of name to status. Every
 *       name and status is accepted; "failed", "error" and "failure", in any case, mean failed.
 *   <li>{@code merge_parameters} (however spelt, wherever in the run) hold the customer's personal
 *       data: only the words of their texts are kept, folded, until the end of the run, to blank
 *       them out of the run's error texts by the {@link io.jenkins.plugins.inkit.client.text.PersonalData}
 *       rule, which also blanks every e-mail address and number.
 *   <li>Every text is cleaned (no control, format or bidirectional character) and short, with the
 *       token blanked out. No message quotes the answer: it may hold personal data.
 * </ul>
 */
public final class RunParser {

    /** Status words that mean failed, in lower case. */
    static final Set<String> FAILED_WORDS = Set.of("failed", "error", "failure");

    static final int ID_LENGTH = 80;
    static final int NAME_LENGTH = 120;
    static final int DESTINATION_LENGTH = 60;
    static final int TIME_LENGTH = 40;

    /** At most this many failed destinations are kept per run. */
    static final int MAX_DESTINATIONS = 20;

    private RunParser() {}

    /**
     * @param askedPage the page that was asked for, checked against the page Inkit says it answered
     * @param pageSize the page size that was asked for, to tell the last page when Inkit does not say
     * @param secret the API token, blanked out of every text
     */
    public static RunPage parse(byte[] json, int askedPage, int pageSize, String secret) throws InkitException {
        List<RunPage.Run> runs = null;
        Pagination pagination = new Pagination();
        // The parser's own messages are not quoted: they can quote the text that could not be read.
        try (JsonParser p = Json.FACTORY.createParser(json)) {
            JsonToken root = p.nextToken();
            if (root == null) {
                throw untrusted("it is empty");
            }
            if (root != JsonToken.START_OBJECT) {
                p.skipChildren();
                endOfDocument(p);
                throw untrusted("it is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("items") && value == JsonToken.START_ARRAY) {
                    runs = new ArrayList<>();
                    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                        runs.add(RunReader.read(p, secret));
                    }
                } else if (field.equals("metadata")) {
                    pagination.readMetadata(p);
                } else {
                    p.skipChildren();
                }
            }
            endOfDocument(p);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw untrusted("it is not valid JSON"
                    + (at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            throw untrusted("it could not be read");
        }
        if (runs == null) {
            throw untrusted("it has no 'items' list");
        }
        return new RunPage(runs, pagination.hasNext(askedPage, pageSize, runs.size()));
    }

    private static void endOfDocument(JsonParser p) throws IOException, InkitException {
        if (p.nextToken() != null) {
            throw untrusted("there is more after the JSON value");
        }
    }

    static boolean isFailed(String status) {
        // No word that means failed is longer: a long text is not read through.
        return status != null
                && status.length() <= 40
                && FAILED_WORDS.contains(status.strip().toLowerCase(Locale.ROOT));
    }

    static InkitException untrusted(String why) {
        return new InkitException(
                InkitException.Kind.UNTRUSTED_RESPONSE,
                "Inkit's list of workflow runs cannot be trusted: " + why + ".");
    }

    /** {@code metadata.pagination}, read as it comes and judged once the page is read. */
    private static final class Pagination {
        private String problem;
        private boolean present;
        private final Number current = new Number("current_page");
        private final Number next = new Number("next_page");
        private final Number pages = new Number("page_count");

        void readMetadata(JsonParser p) throws IOException {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NULL) {
                return;
            }
            if (t != JsonToken.START_OBJECT) {
                p.skipChildren();
                problem = problem == null ? "'metadata' is not an object" : problem;
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (!field.equals("pagination") || value == JsonToken.VALUE_NULL) {
                    p.skipChildren();
                } else if (value != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    problem = problem == null ? "'metadata.pagination' is not an object" : problem;
                } else {
                    present = true;
                    readPagination(p);
                }
            }
        }

        private void readPagination(JsonParser p) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "current_page" -> current.read(p);
                    case "next_page" -> next.read(p);
                    case "page_count" -> pages.read(p);
                    default -> p.skipChildren();
                }
            }
        }

        /** Whether a page follows: {@code next_page}, else {@code page_count}, else a full page. */
        boolean hasNext(int askedPage, int pageSize, int items) throws InkitException {
            if (problem != null) {
                throw untrusted(problem);
            }
            if (!present) {
                return items >= pageSize;
            }
            Long page = current.value();
            if (page != null && page != askedPage) {
                throw untrusted("it is page " + page + " when page " + askedPage + " was asked for");
            }
            if (next.present) {
                return next.value() != null;
            }
            Long count = pages.value();
            return count != null ? askedPage < count : items >= pageSize;
        }
    }

    /** One number of the pagination: absent, {@code null}, a whole number, or not one (said when it is used). */
    private static final class Number {
        private final String field;
        boolean present;
        private boolean bad;
        private Long value;

        Number(String field) {
            this.field = field;
        }

        void read(JsonParser p) throws IOException {
            present = true;
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                value = p.getLongValue();
                bad = value < 0;
            } else {
                value = null;
                bad = t != JsonToken.VALUE_NULL;
                p.skipChildren();
            }
        }

        Long value() throws InkitException {
            if (bad) {
                throw untrusted("'metadata.pagination." + field + "' is not a whole number");
            }
            return value;
        }
    }
}
