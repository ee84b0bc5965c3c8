package io.jenkins.plugins.inkit;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.Util;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.inkit.client.ApiUrls;
import io.jenkins.plugins.inkit.client.InkitClient;
import io.jenkins.plugins.inkit.client.InkitException;
import io.jenkins.plugins.inkit.client.TokenSource;
import io.jenkins.plugins.inkit.client.text.SafeThrowables;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import jenkins.model.GlobalConfiguration;
import jenkins.model.Jenkins;
import net.sf.json.JSONObject;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.StaplerRequest2;
import org.kohsuke.stapler.verb.POST;

/**
 * Defaults for every {@code inkitBatchStatus} step, set once under Manage Jenkins &gt; System (or
 * with Configuration as Code as {@code unclassified: inkit:}): the API URL and the credential. A
 * step's own parameters win over them.
 */
@Extension
@Symbol("inkit")
public class InkitGlobalConfiguration extends GlobalConfiguration {

    static final Duration TEST_CONNECTION_TIMEOUT = Duration.ofSeconds(20);
    private static final Logger LOGGER = Logger.getLogger(InkitGlobalConfiguration.class.getName());

    private String credentialsId;
    private String apiUrl;

    public InkitGlobalConfiguration() {
        load();
    }

    public static InkitGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(InkitGlobalConfiguration.class);
    }

    /** The default credential's ID, or {@code null}. */
    @CheckForNull
    public String getCredentialsId() {
        return credentialsId;
    }

    @DataBoundSetter
    public void setCredentialsId(@CheckForNull String credentialsId) {
        this.credentialsId = Util.fixEmptyAndTrim(credentialsId);
        save();
    }

    /** The default API URL, or {@code null} for {@link ApiUrls#DEFAULT}. */
    @CheckForNull
    public String getApiUrl() {
        return apiUrl;
    }

    @DataBoundSetter
    public void setApiUrl(@CheckForNull String apiUrl) {
        String problem = ApiUrls.problem(apiUrl);
        if (problem != null) {
            // Configuration as Code reports this; the form shows it beforehand through doCheckApiUrl.
            throw new IllegalArgumentException(problem);
        }
        String url = Util.fixEmptyAndTrim(apiUrl);
        // Inkit's own URL is the default anyway: stored as none, so that the configuration stays minimal.
        this.apiUrl = url == null || url.equals(ApiUrls.DEFAULT) || url.equals(ApiUrls.DEFAULT + "/") ? null : url;
        save();
    }

    /** Refuses a bad URL with a message on the form, before any setter runs. */
    @Override
    public boolean configure(StaplerRequest2 req, JSONObject json) throws FormException {
        String problem = ApiUrls.problem(json.optString("apiUrl", null));
        if (problem != null) {
            throw new FormException(problem, "apiUrl");
        }
        return super.configure(req, json);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return Messages.InkitGlobalConfiguration_DisplayName();
    }

    /** Lists to administrators only the credentials that builds can send to the URL in the form. */
    public ListBoxModel doFillCredentialsIdItems(@QueryParameter String credentialsId, @QueryParameter String apiUrl) {
        return InkitForms.credentialItems(null, credentialsId, InkitForms.apiBase(apiUrl));
    }

    @POST
    public FormValidation doCheckApiUrl(@QueryParameter String value) {
        return InkitForms.checkApiUrl(null, value);
    }

    /**
     * Asks Inkit whether it accepts the token; answers yes or why not, never showing the token.
     * The credential is looked up as builds will: not System-scoped, and in a domain that covers
     * the URL being tested.
     */
    @POST
    public FormValidation doTestConnection(@QueryParameter String credentialsId, @QueryParameter String apiUrl) {
        Jenkins.get().checkPermission(Jenkins.ADMINISTER);
        String id = Util.fixEmptyAndTrim(credentialsId);
        if (id == null) {
            return FormValidation.error(Messages.InkitGlobalConfiguration_NoCredential());
        }
        String problem = ApiUrls.problem(apiUrl);
        if (problem != null) {
            return FormValidation.error(problem);
        }
        String base = InkitForms.apiBase(apiUrl);
        StringCredentials credential = CredentialsMatchers.firstOrNull(
                CredentialsProvider.lookupCredentialsInItemGroup(
                        StringCredentials.class, Jenkins.get(), ACL.SYSTEM2, InkitForms.domainOf(base)),
                CredentialsMatchers.withId(id));
        if (credential == null) {
            boolean elsewhere = CredentialsMatchers.firstOrNull(
                            CredentialsProvider.lookupCredentialsInItemGroup(
                                    StringCredentials.class, Jenkins.get(), ACL.SYSTEM2, List.of()),
                            CredentialsMatchers.withId(id))
                    != null;
            return FormValidation.error(
                    elsewhere
                            ? Messages.CredentialTokenSource_OutsideDomain(id, base)
                            : Messages.CredentialTokenSource_NotFound(id));
        }
        if (!InkitForms.usableByBuilds().matches(credential)) {
            return FormValidation.error(Messages.InkitGlobalConfiguration_SystemScoped(id));
        }
        try {
            InkitClient client = new InkitClient(InkitHttp.client(), base);
            client.checkToken(
                    TokenSource.of(
                            credential.getSecret().getPlainText(), Messages.CredentialTokenSource_Description(id)),
                    TEST_CONNECTION_TIMEOUT);
            return FormValidation.ok(Messages.InkitGlobalConfiguration_TokenAccepted(client.baseUrl()));
        } catch (InkitException e) {
            return FormValidation.error(e.getMessage());
        } catch (RuntimeException e) {
            // Its text may quote what it was given, the key included: logged for the admin, never shown.
            LOGGER.log(Level.WARNING, "Test connection to " + base + " failed unexpectedly", SafeThrowables.of(e));
            return FormValidation.error(
                    Messages.InkitGlobalConfiguration_Unexpected(e.getClass().getName()));
        }
    }
}
