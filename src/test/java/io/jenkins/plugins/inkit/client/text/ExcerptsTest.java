package io.jenkins.plugins.inkit.client.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jenkins.plugins.inkit.client.TestClients;
import io.jenkins.plugins.inkit.client.WorstCaseTexts;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Excerpts of bodies and lines: what is read of markup, and where a long text is cut. */
class ExcerptsTest {

    static final String TOKEN = "tok_ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    static String body(String text) {
        return Excerpts.ofBody(text.getBytes(StandardCharsets.UTF_8), TOKEN);
    }

    @Test
    void markupIsDroppedWithScriptsAndStylesInAnyCase() {
        assertEquals(
                "Bad Gateway nginx",
                body("<html><HEAD><Style type=x>h1{}</STYLE><script>var t = '" + TOKEN + "';</sCrIpT ></HEAD>"
                        + "<h1>Bad   Gateway</h1>\n<p>nginx</p><script src=a.js/></html>"));
        assertEquals("a < b and c", body("a < b and c"), "a '<' without a '>' is text");
        assertEquals("a c", body("a <b> c"));
        assertEquals("before", body("before<script>never closed, never shown"));
        assertEquals("x <scripted> y", body("x &lt;scripted&gt; y"), "escaped markup is text");
        assertEquals("(empty body)", body(" <p> </p> "));
    }

    @Test
    void theTokenIsBlankedHoweverItIsWritten() {
        for (String echo : new String[] {
            TOKEN, TOKEN.replace("_", "\\u005f"), TOKEN.replace("_", "&#95;"), TOKEN.replace("_", "&#x5F;")
        }) {
            String out = body("{\"detail\": \"bad key " + echo + "\"}");
            assertEquals("{\"detail\": \"bad key ****\"}", out, echo);
        }
        String far = Excerpts.ofBody(("x ".repeat(150) + TOKEN).getBytes(StandardCharsets.UTF_8), TOKEN, 300);
        TestClients.assertNoPartOf(TOKEN, far);
    }

    @Test
    void aLongTextIsCutAtTheBoundWithoutLeavingHalfAWord() {
        // Past the bound, a short word cut in two is dropped whole: its half could be half a name.
        String text = "word ".repeat(300) + "Launchperson";
        String bounded = Excerpts.bounded(text, 1498);
        assertTrue(bounded.endsWith("word …"), bounded);
        assertEquals(text.substring(0, 1494) + " …", bounded);
        assertEquals(
                "word word …",
                Excerpts.bounded("word word someone@exam" + "ple.org", 20),
                "an address cut short goes whole");
        String longWord = "x".repeat(500);
        assertEquals(
                longWord.substring(0, 300) + " …",
                Excerpts.bounded(longWord, 300),
                "a word as long as the rule reads of it is kept, cut");
        assertEquals("a b …", VisibleText.of("a b cdefgh", 5));
        assertEquals("a b c …", VisibleText.of("a b c <i>defgh</i>", 5));
    }

    @Test
    void aLineIsCleanedThenCut() {
        String line = Excerpts.line("  one\ttwo\u202e three " + TOKEN + " " + "y".repeat(300), TOKEN, 30);
        assertEquals("one two three **** " + "y".repeat(11) + "…", line);
        assertEquals(null, Excerpts.line(null, TOKEN, 30));
        assertEquals(
                "Contact [personal data]: [number]…",
                Excerpts.line("Contact ann: 555 1234 and more", TOKEN, 33, PersonalDataTest.words("Ann")));
        assertFalse(Excerpts.line(WorstCaseTexts.errorPage(), TOKEN, 200).isEmpty());
    }

    @Test
    void printableKeepsItsContract() {
        assertEquals("a b…", Excerpts.printable("a\u0007b c", 3));
        assertEquals("abc", Excerpts.printable("abc", 3));
    }
}
