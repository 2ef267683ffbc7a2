package com.dotmac.provisioning;

import com.dotmac.provisioning.spi.AutomationRunner;
import com.dotmac.provisioning.spi.LaunchSpec;
import com.dotmac.provisioning.spi.LaunchedRun;
import com.dotmac.provisioning.testkit.ForwardingAutomationRunner;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/** Runs a hook (which moves the clock) before the scripted runner's launch and search, per tenant. */
final class SlowRunner extends ForwardingAutomationRunner {
    private final Map<String, Runnable> launchHooks = new ConcurrentHashMap<>();
    private final Map<String, Runnable> findHooks = new ConcurrentHashMap<>();
    /** Runner calls that look for runs: one per {@code findRuns} or {@code findRunsOfJobs}. */
    final AtomicInteger searches = new AtomicInteger();

    SlowRunner(AutomationRunner delegate) {
        super(delegate);
    }

    void onLaunch(String tenantId, Runnable hook) {
        launchHooks.put(tenantId, hook);
    }

    void onFindRuns(String tenantId, Runnable hook) {
        findHooks.put(tenantId, hook);
    }

    @Override
    public LaunchedRun launch(LaunchSpec spec) {
        run(launchHooks.remove(spec.job().tenantId()));
        return super.launch(spec);
    }

    @Override
    public List<LaunchedRun> findRuns(LaunchSpec spec) {
        searches.incrementAndGet();
        run(findHooks.remove(spec.job().tenantId()));
        return super.findRuns(spec);
    }

    @Override
    public Map<String, List<LaunchedRun>> findRunsOfJobs(Collection<LaunchSpec> specs) {
        searches.incrementAndGet();
        return super.findRunsOfJobs(specs);
    }

    private static void run(@Nullable Runnable hook) {
        if (hook != null) {
            hook.run();
        }
    }
}
