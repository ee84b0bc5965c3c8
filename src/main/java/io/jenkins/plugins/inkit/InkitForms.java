package io.jenkins.plugins.inkit;

import com.cloudbees.plugins.credentials.CredentialsMatcher;
import com.cloudbees.plugins.credentials.CredentialsMatchers;
import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.CredentialsScope;
import com.cloudbees.plugins.credentials.common.StandardListBoxModel;
import com.cloudbees.plugins.credentials.domains.DomainRequirement;
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
import io.jenkins.plugins.inkit.client.InkitException;
import java.util.List;
import jenkins.model.Jenkins;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;
import org.springframework.security.core.Authentication;

/**
 * What the step's form and the global configuration's form share: who may see credentials (those
 * who may configure the job, or administrators where there is no job), which credentials a build
 * can use, for which URL, and the checks that need no request.
 */
final class InkitForms {

    private InkitForms() {}

    static boolean mayConfigure(@CheckForNull Item item) {
        return item == null ? Jenkins.get().hasPermission(Jenkins.ADMINISTER) : item.hasPermission(Item.CONFIGURE);
    }

    /**
     * The API base a build would send the token to: the step's own URL, else the global default,
     * else Inkit's; written as the client writes it, so that forms and builds match credential
     * domains against the same text. An unusable URL counts as Inkit's: its own check reports it.
     */
    static String apiUrlForStep(@CheckForNull String stepApiUrl) {
        String own = Util.fixEmptyAndTrim(stepApiUrl);
        return apiBase(own != null ? own : InkitGlobalConfiguration.get().getApiUrl());
    }

    /** {@code apiUrl} as the client writes it, or Inkit's own API when it is empty or unusable. */
    static String apiBase(@CheckForNull String apiUrl) {
        try {
            return ApiUrls.requireValid(apiUrl).toString();
        } catch (InkitException e) {
            return ApiUrls.DEFAULT + "/";
        }
    }

    /** The domain requirement of a request to {@code apiBase}: a credential restricted to other hosts is never sent there. */
    static List<DomainRequirement> domainOf(String apiBase) {
        return URIRequirementBuilder.fromUri(apiBase).build();
    }

    /**
     * Credentials that builds can use. System-scoped ones are visible to Jenkins itself only, never
     * to a build, so a global default must not offer them.
     */
    static CredentialsMatcher usableByBuilds() {
        return CredentialsMatchers.not(CredentialsMatchers.withScope(CredentialsScope.SYSTEM));
    }

    /**
     * "Secret text" credentials that builds of {@code item} (or, without an item, of any job) can
     * send to {@code apiBase}; just the current value for those who may not configure.
     */
    static ListBoxModel credentialItems(@CheckForNull Item item, @CheckForNull String current, String apiBase) {
        StandardListBoxModel result = new StandardListBoxModel();
        if (!mayConfigure(item)) {
            return result.includeCurrentValue(Util.fixNull(current));
        }
        result.includeEmptyValue();
        if (item == null) {
            result.includeMatchingAs(
                    ACL.SYSTEM2, Jenkins.get(), StringCredentials.class, domainOf(apiBase), usableByBuilds());
        } else {
            result.includeMatchingAs(
                    authenticationOf(item),
                    item,
                    StringCredentials.class,
                    domainOf(apiBase),
                    CredentialsMatchers.always());
        }
        return result.includeCurrentValue(Util.fixNull(current));
    }

    /**
     * Whether a "Secret text" credential with this ID can be sent to {@code apiBase} by builds of
     * {@code item}, looked up as the build looks it up: as the build's user, and, when that user
     * may use the job's credentials, as the job itself.
     */
    static boolean credentialExists(Item item, String id, String apiBase) {
        Authentication builds = authenticationOf(item);
        if (visibleTo(item, builds, id, apiBase)) {
            return true;
        }
        return !ACL.SYSTEM2.equals(builds)
                && item.hasPermission2(builds, CredentialsProvider.USE_ITEM)
                && visibleTo(item, ACL.SYSTEM2, id, apiBase);
    }

    private static boolean visibleTo(Item item, Authentication authentication, String id, String apiBase) {
        return !CredentialsProvider.listCredentialsInItem(
                        StringCredentials.class,
                        item,
                        authentication,
                        domainOf(apiBase),
                        CredentialsMatchers.withId(id))
                .isEmpty();
    }

    /**
     * The check of a step's credential: empty means the global default (or an error without one),
     * an expression is checked when the build runs, else the credential must be one the job's
     * builds can send to the URL the step would use.
     */
    static FormValidation checkCredentialsId(
            @CheckForNull Item item, @CheckForNull String value, @CheckForNull String apiUrl) {
        if (!mayConfigure(item)) {
            return FormValidation.ok();
        }
        String id = Util.fixEmptyAndTrim(value);
        if (id == null) {
            String fallback = InkitGlobalConfiguration.get().getCredentialsId();
            if (fallback == null) {
                return FormValidation.error(Messages.InkitBatchStatusStep_NoCredential());
            }
            String elsewhere = defaultCredentialProblem(apiUrl);
            return elsewhere != null
                    ? FormValidation.error(elsewhere)
                    : FormValidation.ok(Messages.InkitBatchStatusStep_UsesDefaultCredential(fallback));
        }
        if (id.startsWith("${")) {
            return FormValidation.ok(Messages.InkitBatchStatusStep_CheckedAtRunTime());
        }
        if (item == null) {
            return FormValidation.ok(); // no job to check against: the build checks
        }
        String base = apiUrlForStep(apiUrl);
        return credentialExists(item, id, base)
                ? FormValidation.ok()
                : FormValidation.error(Messages.InkitBatchStatusStep_CredentialNotFound(id, base));
    }

    /**
     * Why a step without a credential of its own may not use the default credential, or {@code null}:
     * the default credential is sent only to the default API URL, never to a URL a step names.
     */
    @CheckForNull
    static String defaultCredentialProblem(@CheckForNull String stepApiUrl) {
        InkitGlobalConfiguration defaults = InkitGlobalConfiguration.get();
        String own = Util.fixEmptyAndTrim(stepApiUrl);
        if (own == null || defaults.getCredentialsId() == null) {
            return null;
        }
        String defaultBase = apiBase(defaults.getApiUrl());
        String stepBase;
        try {
            stepBase = ApiUrls.requireValid(own).toString();
        } catch (InkitException e) {
            return null; // the URL's own check says what is wrong with it
        }
        return stepBase.equals(defaultBase)
                ? null
                : Messages.InkitStep_DefaultCredentialElsewhere(defaults.getCredentialsId(), defaultBase, stepBase);
    }

    /** A step's timeout in minutes: at least one, at most 30 days. */
    static FormValidation checkTimeout(@CheckForNull Item item, @CheckForNull String value, int fallback) {
        if (!mayConfigure(item)) {
            return FormValidation.ok();
        }
        int minutes = wholeNumber(value, fallback);
        if (minutes < 1) {
            return FormValidation.error(Messages.InkitBatchStatusStep_TimeoutTooShort(String.valueOf(minutes)));
        }
        return minutes <= InkitStep.MAX_TIMEOUT_MINUTES
                ? FormValidation.ok()
                : FormValidation.error(Messages.InkitStep_TimeoutTooLong(
                        String.valueOf(minutes), String.valueOf(InkitStep.MAX_TIMEOUT_MINUTES)));
    }

    /** A form's number; an empty or unreadable field means the default, which the form shows anyway. */
    static int wholeNumber(@CheckForNull String value, int fallback) {
        try {
            return Integer.parseInt(Util.fixNull(value).trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    static FormValidation checkApiUrl(@CheckForNull Item item, @CheckForNull String value) {
        if (!mayConfigure(item)) {
            return FormValidation.ok();
        }
        String problem = ApiUrls.problem(value);
        return problem == null ? FormValidation.ok() : FormValidation.error(problem);
    }

    /** Whom the job's builds run as, as the credentials plugin reckons it for a build. */
    private static Authentication authenticationOf(Item item) {
        return item instanceof Queue.Task task ? Tasks.getAuthenticationOf2(task) : ACL.SYSTEM2;
    }
}
