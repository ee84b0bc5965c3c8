package io.jenkins.plugins.inkit;

import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.domains.URIRequirementBuilder;
import edu.umd.cs.findbugs.annotations.CheckForNull;
import hudson.Util;
import hudson.model.Item;
import hudson.model.Queue;
import hudson.model.queue.Tasks;
import hudson.security.ACL;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import io.jenkins.plugins.inkit.client.ApiUrls;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.springframework.security.core.Authentication;

/**
 * What the step's form and the global configuration's form share: who may see credentials (those
 * who may configure the job, or administrators where there is no job), the credential list, and
 * the checks that need no request.
 */
final class InkitForms {

    private InkitForms() {}

    static boolean mayConfigure(@CheckForNull Item item) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE);
    }

    /** "Secret text" credentials usable in {@code item} (or system-wide), or just the current value for those who may not configure. */
    static ListBoxModel credentialItems(
            @CheckForNull Item item, @CheckForNull String current, @CheckForNull String apiUrl) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (!mayConfigure(item)) {
            return result.includeCurrentValue(Util.fixNull(current));
        }
        String url = Util.fixEmptyAndTrim(apiUrl) != null && ApiUrls.problem(apiUrl) == null
                ? apiUrl.trim()
                : ApiUrls.DEFAULT;
        result.includeEmptyValue();
        if (item == null) {
            result.includeMatchingAs(
                    ACL.SYSTEM2,
                    Jenkins.get(),
                    StringCredentials.class,
                    URIRequirementBuilder.fromUri(url).build(),
                    CredentialsMatchers.always());
        } else {
            result.includeMatchingAs(
                    authenticationOf(item),
                    item,
                    StringCredentials.class,
                    URIRequirementBuilder.fromUri(url).build(),
                    CredentialsMatchers.always());
        }
        return result.includeCurrentValue(Util.fixNull(current));
    }

    /** Whether a "Secret text" credential with this ID can be used in {@code item} (or system-wide). */
    static boolean credentialExists(@CheckForNull Item item, String id) {
        ListBoxModel found = item == null
                ? CredentialsProvider.listCredentialsInItemGroup(
                        StringCredentials.class,
                        Jenkins.get(),
                        ACL.SYSTEM2,
                        URIRequirementBuilder.create().build(),
                        CredentialsMatchers.withId(id))
                : CredentialsProvider.listCredentialsInItem(
                        StringCredentials.class,
                        item,
                        authenticationOf(item),
                        URIRequirementBuilder.create().build(),
                        CredentialsMatchers.withId(id));
        return !found.isEmpty();
    }

    static FormValidation checkApiUrl(@CheckForNull Item item, @CheckForNull String value) {
        if (!mayConfigure(item)) {
            return FormValidation.ok();
        }
        String problem = ApiUrls.problem(value);
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    /** Whom the job's builds run as: the credentials they may use are the ones worth listing. */
    private static Authentication authenticationOf(Item item) {
        return item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
    }
}
