package com.dotmac.provisioning.awx.internal;

import com.dotmac.provisioning.DeploymentMode;
import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.PlaybookVariables;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which extra vars the platform sends to the launches of one job template, as far as the AWX runner's configuration
 * tells: the contract variables every launch carries, {@code release_version} (upgrades always, provisions when the
 * request gives one), {@code connection_profile} (customer_hosted) and the host's survey variables (declared request
 * variables, callback URL and token). A traced job's launch also carries {@code traceparent}, which a survey may
 * list (then AWX passes it to the playbook) or leave out (then AWX drops it and the launch goes on): it is neither
 * expected nor optional, only {@linkplain #mayBeSent allowed}. Immutable, thread-safe.
 *
 * @param expected what a survey guarding the template must list, in a stable order
 * @param optional what the platform may also send (a survey may list it, need not)
 * @param alwaysSent what every launch of the template carries (so a required survey question for it is answered)
 */
public record SentVariables(Set<String> expected, Set<String> optional, Set<String> alwaysSent) {
    /** The variables every launch carries. */
    public static final List<String> CONTRACT = List.of(PlaybookVariables.TENANT_ID, PlaybookVariables.TENANT_SLUG,
            PlaybookVariables.DEPLOYMENT_MODE, PlaybookVariables.OPERATION, PlaybookVariables.PROVISIONING_JOB_ID);
    private static final Set<String> CALLBACK = Set.of(PlaybookVariables.PLATFORM_CALLBACK_URL,
            PlaybookVariables.PLATFORM_CALLBACK_TOKEN);

    /** Copies the sets. */
    public SentVariables {
        expected = unmodifiable(expected);
        optional = unmodifiable(optional);
        alwaysSent = unmodifiable(alwaysSent);
    }

    /**
     * @param use what the template runs
     * @param surveyVariables the configured survey variables ({@code AwxConfig#surveyVariables()})
     * @return what the platform sends to it
     */
    public static SentVariables of(JobTemplates.TemplateUse use, Collection<String> surveyVariables) {
        Set<Operation> operations = use.modesByOperation().keySet();
        Set<String> expected = new LinkedHashSet<>(CONTRACT);
        Set<String> optional = new LinkedHashSet<>();
        Set<String> always = new LinkedHashSet<>(CONTRACT);
        if (operations.contains(Operation.UPGRADE)) {
            expected.add(PlaybookVariables.RELEASE_VERSION);
            if (operations.size() == 1) {
                always.add(PlaybookVariables.RELEASE_VERSION);
            }
        } else if (operations.contains(Operation.PROVISION)) {
            optional.add(PlaybookVariables.RELEASE_VERSION);
        }
        if (use.customerHosted()) {
            expected.add(PlaybookVariables.CONNECTION_PROFILE);
            if (!use.dotmacHosted()) {
                always.add(PlaybookVariables.CONNECTION_PROFILE);
            }
        }
        expected.addAll(surveyVariables);
        surveyVariables.stream().filter(CALLBACK::contains).forEach(always::add);
        return new SentVariables(expected, optional, always);
    }

    /**
     * @param use what the template runs
     * @return the values the platform sends as {@code deployment_mode} to it
     */
    public static Set<String> modes(JobTemplates.TemplateUse use) {
        Set<String> modes = new LinkedHashSet<>();
        use.modesByOperation().values().forEach(m -> m.stream().map(DeploymentMode::wireName).forEach(modes::add));
        return modes;
    }

    /**
     * @param use what the template runs
     * @return the values the platform sends as {@code operation} to it
     */
    public static Set<String> operations(JobTemplates.TemplateUse use) {
        Set<String> operations = new LinkedHashSet<>();
        use.modesByOperation().keySet().forEach(o -> operations.add(o.wireName()));
        return operations;
    }

    /**
     * @param name a variable
     * @return whether the platform may send it (expected, optional, or a traced job's {@code traceparent})
     */
    public boolean mayBeSent(String name) {
        return expected.contains(name) || optional.contains(name) || PlaybookVariables.TRACEPARENT.equals(name);
    }

    private static Set<String> unmodifiable(Set<String> names) {
        return Collections.unmodifiableSet(new LinkedHashSet<>(names));
    }
}
