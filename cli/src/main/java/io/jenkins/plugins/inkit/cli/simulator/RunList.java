package io.jenkins.plugins.inkit.cli.simulator;

import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.COMPLETED;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.FAILED;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.PERSONAL_DATA;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.PROGRESS;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.RATE_LIMITED;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.SALESFORCE_ERROR;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.SALESFORCE_MISSING;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.SINGLE_RUNS;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.STUCK;
import static io.jenkins.plugins.inkit.cli.simulator.InkitSimulator.UNAVAILABLE;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /v1/invoke?page=&page_size=&sort=}: the workflow runs of the fixed batches, a
 * millisecond apart from their batch's creation on, behind {@value InkitSimulator#SINGLE_RUNS}
 * newer runs outside any batch, with Inkit's pagination. Every run carries made-up personal data.
 */
final class RunList {

    /** Every run, newest first. */
    private final List<Map<String, Object>> runs;

    RunList(Instant createdAt) {
        this.runs = runs(createdAt);
    }

    void list(HttpExchange exchange) throws IOException {
        Map<String, String> query = Exchanges.query(exchange);
        int page;
        int pageSize;
        try {
            page = Integer.parseInt(query.getOrDefault("page", "1"));
            pageSize = Integer.parseInt(query.getOrDefault("page_size", "25"));
        } catch (NumberFormatException e) {
            Exchanges.detail(exchange, 422, "page and page_size must be whole numbers");
            return;
        }
        String sort = query.getOrDefault("sort", "-created_at");
        if (page < 1 || pageSize < 1 || pageSize > 100 || !sort.matches("-?created_at")) {
            Exchanges.detail(exchange, 422, "page >= 1, 1 <= page_size <= 100, sort by created_at");
            return;
        }
        List<Map<String, Object>> ordered = new ArrayList<>(runs);
        if (!sort.startsWith("-")) {
            Collections.reverse(ordered);
        }
        int total = ordered.size();
        int pageCount = (total + pageSize - 1) / pageSize;
        long from = (long) (page - 1) * pageSize;
        List<Map<String, Object>> items =
                from >= total ? List.of() : ordered.subList((int) from, (int) Math.min(total, from + pageSize));
        Map<String, Object> pagination = new LinkedHashMap<>();
        pagination.put("page_size", pageSize);
        pagination.put("current_page", page);
        pagination.put("next_page", page < pageCount ? page + 1 : null);
        pagination.put("prev_page", page > 1 ? page - 1 : null);
        pagination.put("page_count", pageCount);
        pagination.put("total_count", total);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items);
        body.put("metadata", Map.of("pagination", pagination));
        Exchanges.send(exchange, 200, body, null);
    }

    /**
     * The runs, newest first. {@link InkitSimulator#FAILED}'s second and third runs failed on
     * Salesforce, each with an error text in one of the shapes Inkit may use.
     */
    private static List<Map<String, Object>> runs(Instant createdAt) {
        List<Map<String, Object>> all = new ArrayList<>();
        int n = 0;
        Object[][] batches = {
            {COMPLETED, "Invoice", 3, List.of("inkit_storage", "salesforce")},
            {FAILED, "Contract", 3, List.of("inkit_storage", "salesforce")},
            {PROGRESS, "Monthly statement", 40, List.of("inkit_storage", "dropbox")},
            {STUCK, "Stuck letter", 10, List.of("inkit_storage", "docusign")},
            {RATE_LIMITED, "Notice", 2, List.of("inkit_storage")},
            {UNAVAILABLE, "Notice", 2, List.of("inkit_storage")},
        };
        for (Object[] b : batches) {
            String batchId = (String) b[0];
            @SuppressWarnings("unchecked")
            List<String> destinations = (List<String>) b[3];
            for (int i = 1; i <= (Integer) b[2]; i++) {
                Map<String, Object> dests = new LinkedHashMap<>();
                boolean failed = batchId.equals(FAILED) && i >= 2;
                for (String d : destinations) {
                    Map<String, Object> dest = new LinkedHashMap<>();
                    if (failed && d.equals("salesforce")) {
                        dest.put("status", "Failed");
                        dest.put(
                                "error",
                                i == 2
                                        ? SALESFORCE_ERROR
                                        : Map.of("code", "REQUIRED_FIELD_MISSING", "message", SALESFORCE_MISSING));
                    } else {
                        dest.put("status", "completed");
                    }
                    dests.put(d, dest);
                }
                all.add(run(
                        String.format("rend_%s_%04d", batchId.substring(3), i),
                        (String) b[1],
                        batchId,
                        failed,
                        dests,
                        createdAt.plusMillis(++n)));
            }
        }
        for (int i = 1; i <= SINGLE_RUNS; i++) {
            Map<String, Object> dests = new LinkedHashMap<>();
            dests.put("inkit_storage", Map.of("status", "completed"));
            all.add(run(
                    String.format("rend_single_%04d", i),
                    "Welcome letter",
                    null,
                    false,
                    dests,
                    createdAt.plusSeconds(10).plusMillis(i)));
        }
        Collections.reverse(all);
        return List.copyOf(all);
    }

    private static Map<String, Object> run(
            String id, String flow, String batchId, boolean failed, Map<String, Object> destinations, Instant at) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("flow_id", "flow_" + flow.toLowerCase(Locale.ROOT).replace(' ', '_'));
        r.put("flow_name", flow);
        r.put("flows_batch_id", batchId);
        r.put("status", failed ? "Failed" : "Completed");
        r.put("destination_status", failed ? "failed" : "completed");
        r.put("destinations", destinations);
        Map<String, Object> merge = new LinkedHashMap<>();
        merge.put("customer_name", PERSONAL_DATA.get(0));
        merge.put("email", PERSONAL_DATA.get(1));
        merge.put("iban", PERSONAL_DATA.get(2));
        merge.put("date_of_birth", PERSONAL_DATA.get(3));
        r.put("merge_parameters", merge);
        r.put("created_at", at.toString());
        return r;
    }
}
