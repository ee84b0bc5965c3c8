package io.jenkins.plugins.inkit.cli.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** What every handler of the simulator needs from an exchange: the token check, the query, a JSON answer. */
final class Exchanges {

    static final ObjectMapper JSON = new ObjectMapper();

    private Exchanges() {}

    /** Any non-empty token is accepted: the simulator is for trying the tool without an account. */
    static boolean hasToken(HttpExchange exchange) {
        String token = exchange.getRequestHeaders().getFirst("X-Inkit-API-Token");
        return token != null && !token.isBlank();
    }

    static Map<String, String> query(HttpExchange exchange) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                query.put(key, value);
            }
        }
        return query;
    }

    /** Answers with {@code body} as JSON, and {@code Retry-After} unless {@code null}. */
    static void send(HttpExchange exchange, int code, Object body, String retryAfter) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter);
        }
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void detail(HttpExchange exchange, int code, String detail) throws IOException {
        send(exchange, code, Map.of("detail", detail), null);
    }
}
