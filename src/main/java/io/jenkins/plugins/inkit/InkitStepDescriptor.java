package io.jenkins.plugins.inkit;

import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import java.util.Set;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.accmod.Restricted;
import org.kohsuke.accmod.restrictions.NoExternalUse;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * What the descriptors of both Inkit steps share: no node needed, and the same form methods for
 * the credential, the API URL and the timeout, each checking permission, the checks by POST only.
 */
@Restricted(NoExternalUse.class) // public so that Stapler can call the inherited web methods
public abstract class InkitStepDescriptor extends StepDescriptor {

    /** The step's default timeout in minutes, for the form's check of an empty field. */
    abstract int defaultTimeoutMinutes();

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        // No FilePath, Launcher or Node: the steps run outside node {} and hold no executor.
        return Set.of(Run.class, TaskListener.class);
    }

    /** Lists credentials only to those who may configure the job; everybody else sees the current value alone. */
    public ListBoxModel doFillCredentialsIdItems(
            @AncestorInPath Item item, @QueryParameter String credentialsId, @QueryParameter String apiUrl) {
        return InkitForms.credentialItems(item, credentialsId, InkitForms.apiUrlForStep(apiUrl));
    }

    /** Checks the credential against the URL the build would send it to, as the build does. */
    @POST
    public FormValidation doCheckCredentialsId(
            @AncestorInPath Item item, @QueryParameter String value, @QueryParameter String apiUrl) {
        return InkitForms.checkCredentialsId(item, value, apiUrl);
    }

    @POST
    public FormValidation doCheckApiUrl(@AncestorInPath Item item, @QueryParameter String value) {
        return InkitForms.checkApiUrl(item, value);
    }

    @POST
    public FormValidation doCheckTimeout(@AncestorInPath Item item, @QueryParameter String value) {
        return InkitForms.checkTimeout(item, value, defaultTimeoutMinutes());
    }
}
