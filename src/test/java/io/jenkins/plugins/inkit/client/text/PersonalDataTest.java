package io.jenkins.plugins.inkit.client.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule of docs/personal-data.md, word by word. */
class PersonalDataTest {

    static MergeWords words(String... values) {
        MergeWords words = new MergeWords();
        for (String v : values) {
            words.addValue(v);
        }
        return words;
    }

    static String blank(String text, String... values) {
        return PersonalData.blank(text, words(values));
    }

    @Test
    void theExampleOfTheIssue() {
        assertEquals(
                "Contact [personal data] [personal data] rejected: phone [number], born [number]",
                blank(
                        "Contact Ann Lee rejected: phone (555) 010-9999, born 02/01/1990",
                        "Ann",
                        "Lee",
                        "5550109999",
                        "1990-01-02"));
    }

    @Test
    void theExamplesOfDocsPersonalData() {
        String[][] table = {
            {
                "Contact Ann Lee rejected: phone (555) 010-9999, born 02/01/1990",
                "Contact [personal data] [personal data] rejected: phone [number], born [number]"
            },
            {"CONTACT ANN-LEE NOT FOUND", "CONTACT [personal data]-[personal data] NOT FOUND"},
            {"Annabel Leeds is not Ann", "Annabel Leeds is not [personal data]"},
            {"invalid email address: someone.else@example.net.", "invalid email address: [personal data]."},
            {"amount 1,234.56 EUR exceeds 1000", "amount [number] EUR exceeds [number]"},
            {"phone +44 20 7946 0958 (mobile)", "phone [number] (mobile)"},
            {"STRING_TOO_LONG: Name (max length=8)", "STRING_TOO_LONG: Name (max length=[number])"},
            {"IBAN NL91ABNA0417164300 closed", "IBAN [number] closed"},
            {"INVALID_FIELD: No such column 'Statement_Date__c'", "INVALID_FIELD: No such column 'Statement_Date__c'"},
            {"Contact Bob Smith rejected", "Contact Bob Smith rejected"},
        };
        for (String[] row : table) {
            assertEquals(row[1], blank(row[0], "Ann", "Lee", "5550109999", "1990-01-02"), row[0]);
        }
    }

    @Test
    void aWordOfAValueIsBlankedWhateverItsLengthCaseAndAccents() {
        assertEquals(
                "[personal data], [personal data] and [personal data] but not Annabel",
                blank("Ann, ANN and ann but not Annabel", "Ann"));
        assertEquals(
                "[personal data] [personal data] / [personal data] [personal data]",
                blank("ZOE MARIE / zoe\u0308 Marie", "Zo\u00eb-Marie"),
                "NFKD and marks dropped: Zoë, ZOE, zoe with a combining diaeresis are one word");
        assertEquals("[personal data] and [personal data]", blank("\u00c5sa and ASA", "asa"));
        assertEquals(
                "[personal data] is [personal data]", blank("\ufb01le is file", "file"), "compatibility forms too");
        assertEquals("Jo: no such person", blank("Jo: no such person", "Joanna"), "whole words only");
        assertEquals("x [personal data] y", blank("x under_score y", "under_score"), "'_' is part of a word");
    }

    @Test
    void everyEmailAddressIsBlankedAmongOrNotAmongTheValues() {
        assertEquals(
                "bounced: [personal data] and [personal data].",
                blank("bounced: someone.else+tag@mail.example.net and jane@localhost."));
        assertEquals("'[personal data]'", blank("'ann.lee@example.org'", "ann.lee@example.org"));
        assertEquals("@ home, a@ b, @b", blank("@ home, a@ b, @b"), "an address needs both parts");
        assertEquals("user [personal data]", blank("user \u00e5sa@ex\u00e4mple.se"), "in any script");
    }

    @Test
    void numbersAreNeverShownWhateverTheMergeParameters() {
        String[][] cases = {
            {"phone +44 20 7946 0958.", "phone [number]."},
            {"born 1990-01-02, or 02.01.1990, or 2/1/90", "born [number], or [number], or [number]"},
            {"amount 1,234.56 EUR", "amount [number] EUR"},
            {"at 10:30 (UTC)", "at [number] (UTC)"},
            {"(max length=8)", "(max length=[number])"},
            {"(555) 010-9999", "[number]"},
            {"IBAN NL91ABNA0417164300", "IBAN [number]"},
            {"code E1 and 3rd try", "code [number] and [number] try"},
            {"items 1, 2 and 3", "items [number] and [number]"},
            {"\u0661\u0662\u0663", "[number]"},
            {"no digits here", "no digits here"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], blank(c[0]), c[0]);
        }
    }

    @Test
    void addressesWordsAndNumbersTogether() {
        assertEquals(
                "[personal data] ([personal data]) owes [number] since [number]",
                blank("Grace (grace@example.org) owes 1.234,50 since 2026-01-31", "Grace Hopper"));
    }

    @Test
    void oneRuleForWhatAMergeParameterFieldIs() {
        for (String field : List.of("merge_parameters", "mergeParameters", "MERGE-PARAMETERS", "Merge_Parameters")) {
            assertTrue(PersonalData.isMergeParameters(field), field);
        }
        for (String field : List.of("merge_parameter", "parameters", "merge", "mergeParametersX", "")) {
            assertFalse(PersonalData.isMergeParameters(field), field);
        }
    }

    @Test
    void theWordsAreBoundedButNeverForgetOne() {
        MergeWords many = new MergeWords();
        int count = 3 * MergeWords.MAX_EXACT;
        for (int i = 0; i < count; i++) {
            many.addValue("Name-" + toLetters(i) + " q" + toLetters(i));
        }
        for (int i = 0; i < count; i++) {
            assertTrue(many.containsWord("Q" + toLetters(i)), "word " + i);
        }
        int falsePositives = 0;
        for (int i = 0; i < 10_000; i++) {
            falsePositives += many.containsWord("other" + toLetters(i)) ? 1 : 0;
        }
        assertTrue(falsePositives < 100, "past the bound some words are blanked needlessly, few: " + falsePositives);
        assertFalse(MergeWords.NONE.containsWord("anything"));
    }

    /** {@code i} in letters only: words with digits are not kept. */
    static String toLetters(int i) {
        StringBuilder b = new StringBuilder();
        do {
            b.append((char) ('a' + i % 26));
            i /= 26;
        } while (i > 0);
        return b.toString();
    }
}
