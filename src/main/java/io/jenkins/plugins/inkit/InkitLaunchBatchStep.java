package io.jenkins.plugins.inkit;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.Util;
import java.util.List;
import java.util.Map;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * {@code inkitLaunchBatch}: launches an Inkit document batch from flows given in the Pipeline or
 * read from a JSON file in the workspace, and returns Inkit's answer as a map. It never launches
 * twice: a request that may have reached Inkit is not sent again, neither by a retry nor after a
 * controller restart. Without {@code flowsFile} it needs neither a node nor an executor.
 */
public final class InkitLaunchBatchStep extends InkitStep {

    static final int DEFAULT_TIMEOUT_MINUTES = 5;

    private String name;
    private String description;
    private List<Map<String, Object>> flows;
    private String flowsFile;

    @DataBoundConstructor
    public InkitLaunchBatchStep() {
        super(DEFAULT_TIMEOUT_MINUTES);
    }

    @CheckForNull
    public String getName() {
        return name;
    }

    /** The batch's name: how a launch whose outcome is unknown is found in Inkit's batch list. */
    @DataBoundSetter
    public void setName(@CheckForNull String name) {
        this.name = Util.fixEmptyAndTrim(name);
    }

    @CheckForNull
    public String getDescription() {
        return description;
    }

    @DataBoundSetter
    public void setDescription(@CheckForNull String description) {
        this.description = Util.fixEmptyAndTrim(description);
    }

    /**
     * The flows: each a map of {@code flowId}, an optional {@code name} and {@code mergeParameters},
     * a list of maps, one document each. Pipeline keeps the arguments of steps with the build, so
     * personal data belongs in a {@link #setFlowsFile flows file} instead.
     */
    @CheckForNull
    public List<Map<String, Object>> getFlows() {
        return flows;
    }

    @DataBoundSetter
    public void setFlows(@CheckForNull List<Map<String, Object>> flows) {
        this.flows = flows;
    }

    @CheckForNull
    public String getFlowsFile() {
        return flowsFile;
    }

    /** A JSON file in the workspace: the {@code flows} list in Inkit's field names, or a whole request body. */
    @DataBoundSetter
    public void setFlowsFile(@CheckForNull String flowsFile) {
        this.flowsFile = Util.fixEmptyAndTrim(flowsFile);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new InkitLaunchBatchExecution(this, context);
    }

    @Extension
    @Symbol("inkitLaunchBatch")
    public static final class DescriptorImpl extends InkitStepDescriptor {

        @Override
        int defaultTimeoutMinutes() {
            return DEFAULT_TIMEOUT_MINUTES;
        }

        @Override
        public String getFunctionName() {
            return "inkitLaunchBatch";
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return Messages.InkitLaunchBatchStep_DisplayName();
        }

        /** What Pipeline views show next to the step: the batch's name, never a flow or a merge parameter. */
        @Override
        public String argumentsToString(@NonNull Map<String, Object> namedArgs) {
            return namedArgs.get("name") instanceof CharSequence batchName ? batchName.toString() : null;
        }
    }
}
