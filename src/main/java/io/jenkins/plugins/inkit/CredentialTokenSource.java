package io.jenkins.plugins.inkit;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
import hudson.model.Run;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import java.util.List;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

/**
 * The API token from a "Secret text" credential, looked up for the build (with the build's
 * authentication) each time a request is made, so that no field ever holds it. Runs on the
 * request pool, never on the Pipeline's thread.
 */
final class CredentialTokenSource implements TokenSource {

    private final Run<?, ?> run;
    private final String credentialsId;
    private final String apiBase;
    private final List<DomainRequirement> domain;
    private volatile boolean tracked;
    private final Runnable onTracked;

    /**
     * @param tracked whether the credential's use was already recorded for this build
     * @param onTracked called once it has been, so the execution can remember it across restarts
     */
    CredentialTokenSource(Run<?, ?> run, String credentialsId, String apiBase, boolean tracked, Runnable onTracked) {
        this.run = run;
        this.credentialsId = credentialsId;
        this.apiBase = apiBase;
        this.domain = InkitForms.domainOf(apiBase);
        this.tracked = tracked;
        this.onTracked = onTracked;
    }

    @Override
    public String token() throws InkitException {
        StringCredentials credential =
                CredentialsProvider.findCredentialById(credentialsId, StringCredentials.class, run, domain);
        if (credential == null) {
            throw new InkitException(InkitException.Kind.INVALID_INPUT, whyNotFound());
        }
        if (!tracked) {
            CredentialsProvider.track(run, credential);
            tracked = true;
            onTracked.run();
        }
        String token = credential.getSecret().getPlainText();
        if (token.isBlank()) {
            throw new InkitException(
                    InkitException.Kind.INVALID_INPUT, Messages.CredentialTokenSource_Empty(credentialsId));
        }
        return token.strip();
    }

    /** Why no usable credential was found: none at all, another kind, or a domain that does not cover the URL. */
    private String whyNotFound() {
        IdCredentials other = CredentialsProvider.findCredentialById(credentialsId, IdCredentials.class, run, domain);
        if (other != null) {
            return Messages.CredentialTokenSource_WrongKind(
                    credentialsId, other.getDescriptor().getDisplayName());
        }
        if (CredentialsProvider.findCredentialById(credentialsId, StringCredentials.class, run, List.of()) != null) {
            return Messages.CredentialTokenSource_OutsideDomain(credentialsId, apiBase);
        }
        return Messages.CredentialTokenSource_NotFound(credentialsId);
    }

    @Override
    public String description() {
        return Messages.CredentialTokenSource_Description(credentialsId);
    }

    @Override
    public String toString() {
        return description();
    }
}
