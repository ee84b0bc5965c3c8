package io.jenkins.plugins.inkit;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import hudson.model.Item;
import hudson.util.FormValidation;
import io.jenkins.plugins.inkit.client.BatchIds;
import io.jenkins.plugins.inkit.client.watch.PollingPolicy;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * {@code inkitBatchStatus}: reads an Inkit document batch, optionally waits until it is finished,
 * reports each destination's counts, returns the batch as a map, and fails the build when
 * documents failed. It needs neither a node nor an executor.
 */
public final class InkitBatchStatusStep extends InkitStep {

    static final int DEFAULT_TIMEOUT_MINUTES = 60;
    static final int DEFAULT_POLL_INTERVAL_SECONDS = (int) PollingPolicy.DEFAULT_MIN_INTERVAL.toSeconds();

    private final String batchId;
    private boolean wait;
    private int pollIntervalSeconds = DEFAULT_POLL_INTERVAL_SECONDS;
    private Integer maxPollIntervalSeconds;
    private boolean failOnFailedDocuments = true;

    @DataBoundConstructor
    public InkitBatchStatusStep(String batchId) {
        super(DEFAULT_TIMEOUT_MINUTES);
        this.batchId = Util.fixNull(batchId).trim();
    }

    public String getBatchId() {
        return batchId;
    }

    public boolean isWait() {
        return wait;
    }

    /** Wait until the batch is finished; by default the step looks once. */
    @DataBoundSetter
    public void setWait(boolean wait) {
        this.wait = wait;
    }

    public int getPollIntervalSeconds() {
        return pollIntervalSeconds;
    }

    /** The shortest time between two looks while waiting. */
    @DataBoundSetter
    public void setPollIntervalSeconds(int pollIntervalSeconds) {
        this.pollIntervalSeconds = pollIntervalSeconds;
    }

    /** The longest time between two looks, or {@code null} for 5 minutes, or the poll interval when that is longer. */
    @CheckForNull
    public Integer getMaxPollIntervalSeconds() {
        return maxPollIntervalSeconds;
    }

    @DataBoundSetter
    public void setMaxPollIntervalSeconds(@CheckForNull Integer maxPollIntervalSeconds) {
        this.maxPollIntervalSeconds = maxPollIntervalSeconds;
    }

    public boolean isFailOnFailedDocuments() {
        return failOnFailedDocuments;
    }

    /** Whether a failed document fails the build; {@code false} only reports it. */
    @DataBoundSetter
    public void setFailOnFailedDocuments(boolean failOnFailedDocuments) {
        this.failOnFailedDocuments = failOnFailedDocuments;
    }

    @Override
    public StepExecution start(StepContext context) {
        return new InkitBatchStatusExecution(this, context);
    }

    @Extension
    @Symbol("inkitBatchStatus")
    public static final class DescriptorImpl extends InkitStepDescriptor {

        @Override
        int defaultTimeoutMinutes() {
            return DEFAULT_TIMEOUT_MINUTES;
        }

        @Override
        public String getFunctionName() {
            return "inkitBatchStatus";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.InkitBatchStatusStep_DisplayName();
        }

        /** What Pipeline views show next to the step's name: the batch, never the credential. */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            return namedArgs.get("batchId") instanceof String id ? id : null;
        }

        @POST
        public FormValidation doCheckBatchId(@AncestorInPath Item item, @QueryParameter String value) {
            if (!InkitForms.mayConfigure(item)) {
                return FormValidation.ok();
            }
            if (Util.fixNull(value).contains("${")) {
                return FormValidation.ok(Messages.InkitBatchStatusStep_CheckedAtRunTime());
            }
            String problem = BatchIds.problem(value);
            return problem == null ? FormValidation.ok() : FormValidation.error(problem);
        }

        @POST
        public FormValidation doCheckMaxPollIntervalSeconds(
                @AncestorInPath Item item, @QueryParameter String value, @QueryParameter String pollIntervalSeconds) {
            if (!InkitForms.mayConfigure(item) || Util.fixEmptyAndTrim(value) == null) {
                return FormValidation.ok(); // empty: at least the poll interval, so never shorter
            }
            int max = InkitForms.wholeNumber(value, Integer.MAX_VALUE);
            int min = InkitForms.wholeNumber(pollIntervalSeconds, DEFAULT_POLL_INTERVAL_SECONDS);
            return max >= min
                    ? FormValidation.ok()
                    : FormValidation.error(
                            Messages.InkitBatchStatusStep_IntervalsInverted(String.valueOf(max), String.valueOf(min)));
        }
    }
}
