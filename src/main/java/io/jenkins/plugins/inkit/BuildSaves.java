package io.jenkins.plugins.inkit;

import hudson.model.Run;
import io.jenkins.plugins.inkit.client.text.SafeThrowables;
import io.jenkins.plugins.inkit.client.watch.Throttle;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jenkinsci.plugins.workflow.steps.StepContext;

/**
 * Saves of a build (build.xml, for the build page's table) and of its program (program.dat, for a
 * resume), at most every few seconds a build and on {@link InkitHttp#saves()}, never on a request
 * thread: a {@code parallel} over hundreds of batches would otherwise rewrite the same files at every
 * change. What a save writes is the state when it runs, so the last change is always saved.
 */
final class BuildSaves {

    private static final Logger LOGGER = Logger.getLogger(BuildSaves.class.getName());

    /** The most a build's state on disk lags behind the build page. */
    static final Duration INTERVAL = Duration.ofSeconds(5);

    private static final Throttle THROTTLE =
            new Throttle(InkitHttp::scheduleOnTimer, BuildSaves::onSaveThread, INTERVAL);

    private BuildSaves() {}

    /** Saves {@code run}'s build.xml soon. */
    static void build(Run<?, ?> run) {
        request("build " + run.getExternalizableId(), () -> {
            // A build deleted meanwhile is not written back into being.
            if (run.getRootDir().isDirectory()) {
                try {
                    run.save();
                } catch (IOException | RuntimeException e) {
                    LOGGER.log(
                            Level.WARNING,
                            "Could not save " + run + " with the state of its Inkit batches",
                            SafeThrowables.of(e));
                }
            }
        });
    }

    /** Saves the program of {@code run}, which {@code context} belongs to, soon: what a resume starts from. */
    static void program(Run<?, ?> run, StepContext context) {
        request("program " + run.getExternalizableId(), () -> {
            try {
                context.saveState();
            } catch (RuntimeException e) {
                LOGGER.log(Level.FINE, "Could not save the program of " + run, SafeThrowables.of(e));
            }
        });
    }

    /** Jenkins' timer is stopping: saves it held are gone, and the next session starts afresh. */
    static void reset() {
        THROTTLE.reset();
    }

    /** Never throws: a save that cannot be scheduled (Jenkins' timer is shutting down) is not worth ending a step. */
    private static void request(String key, Runnable save) {
        try {
            THROTTLE.request(key, save);
        } catch (RuntimeException e) {
            LOGGER.log(Level.FINE, "Could not schedule the save of " + key, SafeThrowables.of(e));
        }
    }

    private static void onSaveThread(Runnable save) {
        try {
            InkitHttp.saves().execute(save);
        } catch (RejectedExecutionException e) {
            save.run(); // Jenkins is shutting down: saved here rather than lost
        }
    }
}
