package io.jenkins.plugins.inkit;

import static io.jenkins.plugins.casc.misc.Util.getUnclassifiedRoot;
import static io.jenkins.plugins.casc.misc.Util.toStringFromYamlFile;
import static io.jenkins.plugins.casc.misc.Util.toYamlString;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jenkins.plugins.casc.ConfigurationContext;
import io.jenkins.plugins.casc.ConfiguratorRegistry;
import io.jenkins.plugins.casc.misc.ConfiguredWithCode;
import io.jenkins.plugins.casc.misc.JenkinsConfiguredWithCodeRule;
import io.jenkins.plugins.casc.misc.junit.jupiter.WithJenkinsConfiguredWithCode;
import io.jenkins.plugins.casc.model.CNode;
import org.junit.jupiter.api.Test;

/** {@code unclassified: inkit:} in Configuration as Code, read and written back. */
@WithJenkinsConfiguredWithCode
class InkitConfigurationAsCodeTest {

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    void readsTheInkitSection(JenkinsConfiguredWithCodeRule j) {
        InkitGlobalConfiguration config = InkitGlobalConfiguration.get();
        assertEquals("https://inkit-proxy.example.com", config.getApiUrl());
        assertEquals("inkit-api-token", config.getCredentialsId());
    }

    @Test
    @ConfiguredWithCode("configuration-as-code.yml")
    void exportsWhatItRead(JenkinsConfiguredWithCodeRule j) throws Exception {
        ConfigurationContext context = new ConfigurationContext(ConfiguratorRegistry.get());
        CNode inkit = getUnclassifiedRoot(context).get("inkit");
        String expected = toStringFromYamlFile(this, "configuration-as-code-export.yml");
        assertEquals(expected, toYamlString(inkit));
    }
}
