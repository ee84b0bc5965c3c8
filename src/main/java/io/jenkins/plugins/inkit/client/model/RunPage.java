package io.jenkins.plugins.inkit.client.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One page of {@code GET /v1/invoke}, the list of workflow runs, as far as finding a batch's failed
 * documents needs it. Made by {@link InkitClient#fetchRuns}; every text is a short printable
 * excerpt with the token blanked out, and the runs' merge parameters are never read.
 *
 * @param runs the runs in Inkit's order (newest first, as asked)
 * @param hasNext whether Inkit has a page after this one
 */
public record RunPage(List<Run> runs, boolean hasNext) {

    public RunPage {
        runs = List.copyOf(runs);
    }

    /**
     * One run.
     *
     * @param id the run's ID, {@code null} only when the run is unreadable
     * @param batchId its {@code flows_batch_id}, {@code null} for a run outside any batch or an unreadable one
     * @param created its {@code created_at} read as a time, or {@code null} when absent or unreadable
     * @param failed whether its status, its destination status or one of its destinations says it failed
     * @param failedDestinations the destinations it failed on, each with Inkit's error text or {@code null}
     * @param unreadable why the run could not be read, or {@code null}: then nothing else is to be relied on
     */
    public record Run(
            String id,
            String flowId,
            String flowName,
            String batchId,
            String createdAt,
            Instant created,
            boolean failed,
            Map<String, String> failedDestinations,
            String unreadable) {

        public Run {
            failedDestinations = Collections.unmodifiableMap(new LinkedHashMap<>(failedDestinations));
        }

        public static Run unreadable(String batchId, String why) {
            return new Run(null, null, null, batchId, null, null, false, Map.of(), why);
        }

        public FailedDocument toFailedDocument() {
            return new FailedDocument(id, flowId, flowName, createdAt, failedDestinations);
        }
    }
}
