package io.jenkins.plugins.inkit;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.AbortException;
import hudson.FilePath;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.json.PipelineFlows;
import io.jenkins.plugins.inkit.client.model.LaunchRequest;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Where a launch's flows come from: the step's {@code flows}, read when the step is made, or its
 * {@code flowsFile}, read from the workspace by a {@link FlowsFileReader}; exactly one of them.
 * Held only until the launch starts and never saved: the flows are the customers' data, and a
 * resumed launch never prepares them again.
 */
final class LaunchFlows {

    private final String flowsFile;
    private final String name;
    private final String description;
    private final LaunchRequest inline;
    /** Why the step's {@code flows} cannot be launched, said by {@link #workspace} on the Pipeline's thread. */
    private final InkitException inlineProblem;

    LaunchFlows(InkitLaunchBatchStep step) {
        this.flowsFile = step.getFlowsFile();
        this.name = step.getName();
        this.description = step.getDescription();
        LaunchRequest request = null;
        InkitException problem = null;
        if (step.getFlows() != null) {
            try {
                request = PipelineFlows.read(step.getFlows()).withName(name).withDescription(description);
            } catch (InkitException e) {
                problem = e;
            }
        }
        this.inline = request;
        this.inlineProblem = problem;
    }

    /**
     * On the Pipeline's thread, before anything is sent: refuses, saying what to fix, flows that
     * cannot be launched. The workspace a flows file is read from, or {@code null} for the step's own.
     */
    @CheckForNull
    FilePath workspace(StepContext context) throws IOException, InterruptedException {
        if (inlineProblem != null) {
            throw new AbortException(inlineProblem.getMessage());
        }
        if ((inline == null) == (flowsFile == null)) {
            throw new AbortException(
                    flowsFile == null
                            ? Messages.InkitLaunchBatchStep_NoFlows()
                            : Messages.InkitLaunchBatchStep_BothFlows());
        }
        if (flowsFile == null) {
            return null;
        }
        FilePath workspace = context.get(FilePath.class);
        if (workspace == null) {
            throw new AbortException(Messages.InkitLaunchBatchStep_FlowsFileNeedsNode(flowsFile));
        }
        return workspace;
    }

    /**
     * The request: the step's at once, or the flows file's once read from {@code workspace}, failing
     * after {@code millis} (see {@link #whyNot}).
     */
    CompletableFuture<LaunchRequest> read(@CheckForNull FilePath workspace, long millis) {
        return workspace == null
                ? CompletableFuture.completedFuture(inline)
                : new FlowsFileReader(workspace, flowsFile, name, description).read(millis);
    }

    /** Why the flows file could not be used, for the build's log. */
    String whyNot(Throwable error, int timeoutMinutes) {
        return FlowsFileReader.whyNot(flowsFile, error, timeoutMinutes);
    }
}
