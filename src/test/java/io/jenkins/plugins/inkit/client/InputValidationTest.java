package io.jenkins.plugins.inkit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Batch IDs and API URLs are checked before anything is sent. */
class InputValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {"fb_4AO6oyjh5yc9jvRKJplghb", "a", "A-b_9", "  fb_1  ", "fb_1\n"})
    void acceptsBatchIds(String id) throws Exception {
        assertNull(BatchIds.problem(id));
        assertEquals(id.strip(), BatchIds.requireValid(id));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "fb/../../v1/users", "fb_1?x=1", "fb 1", "fb_1%2F", "fb.1", "fb_\u00e9", "fb\t1"})
    void refusesBatchIds(String id) {
        InkitException e = assertThrows(InkitException.class, () -> BatchIds.requireValid(id));
        assertEquals(InkitException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("The batch ID"), e.getMessage());
    }

    @Test
    void refusesOverlongBatchIdsSayingTheLimit() {
        String id = "a".repeat(BatchIds.MAX_LENGTH + 1);
        assertEquals("The batch ID is 129 characters long; Inkit batch IDs have at most 128.", BatchIds.problem(id));
        assertNull(BatchIds.problem("a".repeat(BatchIds.MAX_LENGTH)));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://api.inkit.com",
                "https://api.inkit.com/",
                "https://proxy.example.com/inkit",
                "http://localhost:8080",
                "http://127.0.0.1:9",
                "http://[::1]:8080"
            })
    void acceptsApiUrls(String url) throws Exception {
        assertNull(ApiUrls.problem(url));
        assertNotNull(ApiUrls.requireValid(url));
    }

    @Test
    void anEmptyApiUrlMeansTheDefault() throws Exception {
        assertEquals("https://api.inkit.com/", ApiUrls.requireValid(null).toString());
        assertEquals("https://api.inkit.com/", ApiUrls.requireValid(" ").toString());
        assertEquals(
                "https://proxy.example.com/inkit",
                ApiUrls.requireValid("https://proxy.example.com/inkit/").toString());
    }

    @Test
    void refusesPlainHttpAcrossTheNetwork() {
        String problem = ApiUrls.problem("http://api.inkit.com");
        assertTrue(problem.contains("unencrypted"), problem);
        assertNotNull(ApiUrls.problem("http://10.1.2.3:8080"));
        assertNotNull(ApiUrls.problem("http://localhost.example.com"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ftp://api.inkit.com",
                "api.inkit.com",
                "file:///etc/passwd",
                "https://user:pw@api.inkit.com",
                "https://api.inkit.com?x=1",
                "https://",
                "javascript:alert(1)"
            })
    void refusesOtherUrls(String url) {
        InkitException e = assertThrows(InkitException.class, () -> ApiUrls.requireValid(url));
        assertEquals(InkitException.Kind.INVALID_INPUT, e.kind());
        assertTrue(e.getMessage().startsWith("The Inkit API URL"), e.getMessage());
    }
}
