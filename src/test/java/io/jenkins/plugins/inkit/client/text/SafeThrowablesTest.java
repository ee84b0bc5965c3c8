package io.jenkins.plugins.inkit.client.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class SafeThrowablesTest {

    @Test
    void keepsClassesAndFramesDropsEveryMessage() {
        IllegalArgumentException thrown = new IllegalArgumentException(
                "Unexpected char 0x0a at 12 in X-Inkit-API-Token value: tok-SECRET",
                new IOException("proxy password hunter2", new IllegalStateException("tok-SECRET again")));
        Throwable safe = SafeThrowables.of(thrown);
        StringWriter logged = new StringWriter();
        safe.printStackTrace(new PrintWriter(logged));
        String text = logged.toString();
        assertFalse(text.contains("tok-SECRET") || text.contains("hunter2"), text);
        assertTrue(text.contains("java.lang.IllegalArgumentException"), text);
        assertTrue(text.contains("java.io.IOException") && text.contains("java.lang.IllegalStateException"), text);
        assertArrayEquals(thrown.getStackTrace(), safe.getStackTrace());
    }

    @Test
    void aCauseThatLoopsEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        StringWriter logged = new StringWriter();
        SafeThrowables.of(a).printStackTrace(new PrintWriter(logged));
        assertTrue(logged.toString().contains("RuntimeException"));
    }
}
