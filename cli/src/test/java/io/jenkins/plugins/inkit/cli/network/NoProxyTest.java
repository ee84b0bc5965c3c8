package io.jenkins.plugins.inkit.cli.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NoProxyTest {

    @ParameterizedTest(name = "NO_PROXY=\"{0}\", {1}:{2} direct: {3}")
    @CsvSource(
            delimiter = '|',
            value = {
                // A name matches itself and every host under it, never a host that merely ends alike.
                "example.com                | example.com          | 443  | true",
                "example.com                | api.example.com      | 443  | true",
                "example.com                | a.b.example.com      | 443  | true",
                "example.com                | badexample.com       | 443  | false",
                "example.com                | example.com.evil.net | 443  | false",
                "example.com                | example.org          | 443  | false",
                // A leading '.' or '*.' means the same domain.
                ".example.com               | api.example.com      | 443  | true",
                ".example.com               | example.com          | 443  | true",
                "*.example.com              | api.example.com      | 443  | true",
                "*.example.com              | badexample.com       | 443  | false",
                // Case and a trailing dot do not matter; spaces around commas neither.
                "EXAMPLE.com.               | Api.Example.COM      | 443  | true",
                "foo.test , example.com     | api.example.com      | 443  | true",
                "foo.test example.com       | api.example.com      | 443  | true",
                // '*' alone is every host; inside a name it is not a pattern.
                "*                          | anything.at.all      | 8443 | true",
                "foo.test,*                 | api.inkit.com        | 443  | true",
                "api.*.com                  | api.inkit.com        | 443  | false",
                // A port limits the entry to that port.
                "example.com:8443           | api.example.com      | 8443 | true",
                "example.com:8443           | api.example.com      | 443  | false",
                "127.0.0.1:8089             | 127.0.0.1            | 8089 | true",
                "127.0.0.1:8089             | 127.0.0.1            | 8090 | false",
                "[::1]:8089                 | ::1                  | 8089 | true",
                "[::1]:8089                 | ::1                  | 80   | false",
                // Addresses are compared as addresses, with CIDR prefixes; names are never resolved.
                "127.0.0.1                  | 127.0.0.1            | 443  | true",
                "127.0.0.1                  | 127.0.0.2            | 443  | false",
                "10.0.0.0/8                 | 10.20.30.40          | 443  | true",
                "10.0.0.0/8                 | 11.0.0.1             | 443  | false",
                "192.168.4.0/22             | 192.168.7.255        | 443  | true",
                "192.168.4.0/22             | 192.168.8.0          | 443  | false",
                "::1                        | ::1                  | 443  | true",
                "0:0:0:0:0:0:0:1            | ::1                  | 443  | true",
                "[::1]                      | ::1                  | 443  | true",
                "fd00::/8                   | fd12:3456::1         | 443  | true",
                "fd00::/8                   | fe80::1              | 443  | false",
                "127.0.0.1                  | localhost            | 443  | false",
                "localhost                  | 127.0.0.1            | 443  | false",
                "localhost                  | localhost            | 8089 | true",
                // What cannot be understood matches nothing, and does not stop the rest from matching.
                "10.0.0.0/33,example.com    | api.example.com      | 443  | true",
                "10.0.0.0/33                | 10.0.0.1             | 443  | false",
                "example.com:http           | example.com          | 80   | false",
                "''                         | example.com          | 443  | false",
                "' , ,'                     | example.com          | 443  | false",
                ".                          | example.com          | 443  | false",
            })
    void matchesAsCurlGitAndTheRunnerDo(String noProxy, String host, int port, boolean direct) {
        assertEquals(direct, NoProxy.parse(noProxy).matches(host, port));
    }

    @Test
    void nothingListedMeansNothingBypasses() {
        assertFalse(NoProxy.parse(null).matches("localhost", 80));
        assertFalse(NoProxy.NONE.matches("localhost", 80));
    }

    @Test
    void literalsAreReadWithoutDns() {
        assertEquals(4, NoProxy.literal("10.1.2.3").length);
        assertEquals(16, NoProxy.literal("2001:db8::1").length);
        assertEquals(null, NoProxy.literal("256.1.2.3"));
        assertEquals(null, NoProxy.literal("example.com"));
        assertEquals(null, NoProxy.literal("1:2"));
        assertTrue(NoProxy.parse("::ffff:10.0.0.1").matches("::ffff:10.0.0.1", 1));
    }
}
