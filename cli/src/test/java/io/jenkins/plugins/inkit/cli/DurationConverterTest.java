package io.jenkins.plugins.inkit.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class DurationConverterTest {

    final DurationConverter converter = new DurationConverter();

    @Test
    void readsSecondsMinutesAndHours() {
        assertEquals(Duration.ofSeconds(90), converter.convert("90s"));
        assertEquals(Duration.ofMinutes(5), converter.convert("5m"));
        assertEquals(Duration.ofHours(2), converter.convert(" 2H "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "m", "1.5m", "-1m", "5d", "0s", "1m30s", "ten minutes"})
    void refusesAnythingElseSayingTheForm(String value) {
        CommandLine.TypeConversionException e =
                assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert(value));
        assertTrue(e.getMessage().contains("30s, 5m or 1h") || e.getMessage().contains("is zero"), e.getMessage());
    }

    @Test
    void thirtyDaysIsTheLimitInEveryUnit() {
        assertEquals(Duration.ofDays(30), converter.convert("720h"));
        assertEquals(Duration.ofDays(30), converter.convert("43200m"));
        assertEquals(Duration.ofDays(30), converter.convert("2592000s"));
        assertEquals(Duration.ofHours(1), converter.convert("0000000000001h"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"721h", "43201m", "2592001s", "2600000h", "999999999h", "99999999999999999999999h"})
    void refusesLongerThanThirtyDaysSayingTheLimit(String value) {
        CommandLine.TypeConversionException e =
                assertThrows(CommandLine.TypeConversionException.class, () -> converter.convert(value));
        assertEquals("'" + value + "' is longer than 720h (30 days), the longest a duration may be", e.getMessage());
    }
}
