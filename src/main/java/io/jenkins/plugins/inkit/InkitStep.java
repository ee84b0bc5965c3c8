package io.jenkins.plugins.inkit;

import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * The settings both Inkit steps share: the credential, the API URL and the time limit. Empty
 * credential and URL mean the defaults of Manage Jenkins &gt; System &gt; Inkit.
 */
public abstract class InkitStep extends Step {

    /** The longest timeout a step takes, in minutes: 30 days, as long as any wait may last. */
    static final int MAX_TIMEOUT_MINUTES = 30 * 24 * 60;

    private String credentialsId;
    private String apiUrl;
    private int timeout;

    InkitStep(int defaultTimeoutMinutes) {
        this.timeout = defaultTimeoutMinutes;
    }

    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    /** The ID of a "Secret text" credential holding the Inkit API key; empty for the global default. */
    @DataBoundSetter
    public void setCredentialsId(@CheckForNull String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
    }

    /** The API base URL, or {@code null} for the global default (or else Inkit's own). */
    @CheckForNull
    public String getApiUrl() {
        return apiUrl;
    }

    /** A URL written on the step always wins, even Inkit's own over a global default; blank means none. */
    @DataBoundSetter
    public void setApiUrl(@CheckForNull String apiUrl) {
        this.apiUrl = Util.fixEmptyAndTrim(apiUrl);
    }

    public int getTimeout() {
        return timeout;
    }

    /** Minutes for the whole step, retries and waiting included. */
    @DataBoundSetter
    public void setTimeout(int timeout) {
        this.timeout = timeout;
    }
}
