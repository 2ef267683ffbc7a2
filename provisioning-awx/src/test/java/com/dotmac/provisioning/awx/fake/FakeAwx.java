package com.dotmac.provisioning.awx.fake;

import com.dotmac.provisioning.Operation;
import com.dotmac.provisioning.PlaybookVariables;
import com.dotmac.provisioning.awx.AwxConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocketFactory;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.HttpUrl;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stateful AWX for {@link MockWebServer}: the parts of the REST API v2 the runner uses, answered with bodies
 * shaped after real AWX answers.
 *
 * <ul>
 *   <li>{@code GET /api/} (AWX: {@code current_version}; {@link #aap()}: {@code apis.controller}, then
 *       {@code /api/controller/} → {@code /api/controller/v2/}), {@code ping/};</li>
 *   <li>job templates: {@code launch/} (GET settings, POST launch with {@code ignored_fields}, survey checks, job
 *       slicing), {@code survey_spec/}, {@code jobs/} (with {@code created__gte}, {@code order_by}, paging); a survey
 *       with {@code ask_variables_on_launch} off lets through only the variables it lists ({@link SurveyRules});</li>
 *   <li>jobs: list with {@code id__in}, paging (relative {@code next}, {@code page_size} capped at
 *       {@link #maxPageSize(int)}), detail, {@code job_events/} (filters {@code event__in}, {@code event},
 *       {@code failed}, {@code order_by}), {@code cancel/} (GET, POST: 202 / 405 / 404); filtering on
 *       {@code extra_vars} is refused with 403 as AWX does;</li>
 *   <li>inventories, their groups and hosts (lookup by name, create with duplicate-name 400s, PATCH hosts, group
 *       membership).</li>
 * </ul>
 *
 * <p>Runs end as {@link RunScript}s say (per {@code provisioning_job_id}, or a default); faults are injected with
 * {@link #failNext}. Every request is recorded ({@link #calls()}, {@link #launches()}). Requests must carry the
 * expected {@code Authorization} (401 otherwise), except {@code /api/} and {@code ping/} as in AWX. Thread-safe.
 */
public final class FakeAwx extends Dispatcher implements AutoCloseable {
    /** The Bearer token the fake expects unless told otherwise. */
    public static final String TOKEN = "fake-awx-token-5f3c9a1e";
    /** Default job templates: provision. */
    public static final long PROVISION_TEMPLATE = 14;
    /** Default job templates: upgrade. */
    public static final long UPGRADE_TEMPLATE = 15;
    /** Default job templates: decommission. */
    public static final long DECOMMISSION_TEMPLATE = 16;
    /** The organization of the default configuration. */
    public static final long ORGANIZATION = 1;

    private final Object lock = new Object();
    private final MockWebServer server = new MockWebServer();
    private final List<RecordedCall> calls = new CopyOnWriteArrayList<>();
    private final List<LaunchRecord> launches = new CopyOnWriteArrayList<>();
    private final List<FaultRule> faults = new ArrayList<>();
    private final Map<Long, TemplateSettings> templates = new LinkedHashMap<>();
    private final Map<Long, FakeJob> jobs = new LinkedHashMap<>();
    private final ActiveRuns activeRuns = new ActiveRuns();
    private final Map<Long, List<ObjectNode>> events = new LinkedHashMap<>();
    private final Map<String, RunScript> scripts = new LinkedHashMap<>();
    private final Map<Long, Inventory> inventories = new LinkedHashMap<>();
    private final Map<Long, Host> hosts = new LinkedHashMap<>();
    private final Map<Long, Group> groups = new LinkedHashMap<>();
    private String api = "/api/v2/";
    private boolean aap;
    private String version = "24.6.1";
    private String expectedAuthorization = "Bearer " + TOKEN;
    private Clock clock = Clock.systemUTC();
    private int maxPageSize = 200;
    private RunScript defaultScript = RunScript.succeedAfter(1);
    private long nextJobId = 327;
    private long nextObjectId = 100;
    private AwxBodies bodies = new AwxBodies(api);

    /** An AWX 24.6.1 at {@code /api/v2/} with templates 14, 15 and 16 that prompt for everything. */
    public FakeAwx() {
        for (long id : List.of(PROVISION_TEMPLATE, UPGRADE_TEMPLATE, DECOMMISSION_TEMPLATE)) {
            template(id);
        }
        inventories.put(1L, new Inventory(1, "Demo Inventory", ORGANIZATION, "", "---"));
    }

    // ---- setup ------------------------------------------------------------------------------------------------

    /** @return this, answering as Ansible Automation Platform 2.5+ (controller API at /api/controller/v2/) */
    public FakeAwx aap() {
        synchronized (lock) {
            aap = true;
            api = "/api/controller/v2/";
            bodies = new AwxBodies(api);
            version = "4.6.0";
        }
        return this;
    }

    /** @param value the version ping/ reports @return this */
    public FakeAwx version(String value) {
        synchronized (lock) {
            version = value;
        }
        return this;
    }

    /** @param token the Bearer token requests must carry @return this */
    public FakeAwx requireToken(String token) {
        synchronized (lock) {
            expectedAuthorization = "Bearer " + token;
        }
        return this;
    }

    /** @param user the Basic user @param password the password @return this */
    public FakeAwx requireBasic(String user, String password) {
        synchronized (lock) {
            expectedAuthorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                    .getBytes(StandardCharsets.UTF_8));
        }
        return this;
    }

    /** @param value the clock of job timestamps (created, started, finished) @return this */
    public FakeAwx clock(Clock value) {
        synchronized (lock) {
            clock = Objects.requireNonNull(value);
        }
        return this;
    }

    /** @param value the largest page AWX returns (AWX: 200) @return this */
    public FakeAwx maxPageSize(int value) {
        synchronized (lock) {
            maxPageSize = value;
        }
        return this;
    }

    /**
     * @param id a job template id
     * @return its settings (created, prompting for everything, when new); change them before launching
     */
    public TemplateSettings template(long id) {
        synchronized (lock) {
            return templates.computeIfAbsent(id, TemplateSettings::new);
        }
    }

    /** @param id a job template id @return this, without that template (its launches answer 404) */
    public FakeAwx removeTemplate(long id) {
        synchronized (lock) {
            templates.remove(id);
        }
        return this;
    }

    /** @param script how runs without a script of their own behave @return this */
    public FakeAwx defaultScript(RunScript script) {
        synchronized (lock) {
            defaultScript = Objects.requireNonNull(script);
        }
        return this;
    }

    /**
     * @param provisioningJobId the {@code provisioning_job_id} of a run to be launched
     * @param script how that run behaves
     * @return this
     */
    public FakeAwx script(String provisioningJobId, RunScript script) {
        synchronized (lock) {
            scripts.put(provisioningJobId, Objects.requireNonNull(script));
        }
        return this;
    }

    /**
     * The next {@code times} requests are answered with {@code fault}.
     *
     * @param times how many requests
     * @param fault the fault
     * @return this
     */
    public FakeAwx failNext(int times, Fault fault) {
        return failNext(times, fault, call -> true);
    }

    /**
     * The next {@code times} requests with this method to a path matching {@code pathRegex} (relative to the API
     * root, e.g. {@code jobs/} or {@code job_templates/\d+/launch/}) are answered with {@code fault}.
     *
     * @param times how many requests
     * @param fault the fault
     * @param method the HTTP method
     * @param pathRegex the path below the API root
     * @return this
     */
    public FakeAwx failNext(int times, Fault fault, String method, String pathRegex) {
        Pattern pattern = Pattern.compile(pathRegex);
        return failNext(times, fault, call -> call.method().equals(method)
                && call.path().startsWith(api) && pattern.matcher(call.path().substring(api.length())).matches());
    }

    /**
     * @param times how many requests
     * @param fault the fault
     * @param which which requests
     * @return this
     */
    public FakeAwx failNext(int times, Fault fault, Predicate<RecordedCall> which) {
        synchronized (lock) {
            faults.add(new FaultRule(times, fault, which));
        }
        return this;
    }

    /**
     * Adds a job as if it had been launched earlier.
     *
     * @param templateId its template
     * @param extraVars its extra vars
     * @param created when it was created
     * @param script how it behaves
     * @return its id
     */
    public long addJob(long templateId, Map<String, ?> extraVars, Instant created, RunScript script) {
        synchronized (lock) {
            Map<String, Object> vars = new LinkedHashMap<>(extraVars);
            return newJob(templateId, vars, vars, null, List.of(), created, script).id;
        }
    }

    /** @param jobId a job @param status the status it shows from now on (until cancelled) @return this */
    public FakeAwx forceStatus(long jobId, String status) {
        synchronized (lock) {
            FakeJob job = Objects.requireNonNull(jobs.get(jobId), "no job " + jobId);
            job.status = status;
            job.pinned = true;
            if (job.isFinal()) {
                job.finished = clock.instant();
            }
            activeRuns.update(job);
        }
        return this;
    }

    /**
     * @param name an inventory name
     * @param organization its organization
     * @return the id of a new inventory
     */
    public long addInventory(String name, long organization) {
        synchronized (lock) {
            long id = nextObjectId++;
            inventories.put(id, new Inventory(id, name, organization, "", "---"));
            return id;
        }
    }

    /**
     * @param inventoryId an inventory
     * @param name a host name
     * @param variables its variables text
     * @return the id of a new host in it
     */
    public long addHost(long inventoryId, String name, String variables) {
        synchronized (lock) {
            long id = nextObjectId++;
            hosts.put(id, new Host(id, inventoryId, name, variables, true));
            return id;
        }
    }

    // ---- server -----------------------------------------------------------------------------------------------

    /** Starts serving plain HTTP on a free local port. @throws IOException when it cannot */
    public void start() throws IOException {
        server.setDispatcher(this);
        server.setServerSocketFactory(new NoDelayServerSocketFactory());
        server.start();
    }

    /**
     * Starts serving HTTPS.
     *
     * @param serverSocketFactory the server's TLS socket factory (e.g. from okhttp-tls {@code HandshakeCertificates})
     * @throws IOException when it cannot
     */
    public void startHttps(SSLSocketFactory serverSocketFactory) throws IOException {
        server.useHttps(serverSocketFactory);
        start();
    }

    /** @return the base URL to configure the runner with, e.g. {@code http://127.0.0.1:40123/} */
    public String baseUrl() {
        return server.url("/").toString();
    }

    /** @return the API root path, {@code /api/v2/} or (AAP) {@code /api/controller/v2/} */
    public String apiPath() {
        synchronized (lock) {
            return api;
        }
    }

    /**
     * @return a runner configuration for this fake: base URL, token, templates 14/15/16 for provision, upgrade and
     *     decommission, organization 1, and short timeouts
     */
    public AwxConfig.Builder configBuilder() {
        return AwxConfig.builder().baseUrl(baseUrl()).token(TOKEN)
                .jobTemplate(Operation.PROVISION, PROVISION_TEMPLATE)
                .jobTemplate(Operation.UPGRADE, UPGRADE_TEMPLATE)
                .jobTemplate(Operation.DECOMMISSION, DECOMMISSION_TEMPLATE)
                .organizationId(ORGANIZATION)
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(2))
                .retryDelays(Duration.ofMillis(100), Duration.ofSeconds(1));
    }

    /** Stops the server. */
    @Override
    public void close() {
        server.close();
    }

    // ---- observation ------------------------------------------------------------------------------------------

    /** @return every request received, in order */
    public List<RecordedCall> calls() {
        return List.copyOf(calls);
    }

    /**
     * @param method an HTTP method
     * @param pathRegex a path below the API root, e.g. {@code jobs/}
     * @return the requests received with that method and path
     */
    public List<RecordedCall> calls(String method, String pathRegex) {
        Pattern pattern = Pattern.compile(pathRegex);
        String root = apiPath();
        return calls.stream().filter(c -> c.method().equals(method) && c.path().startsWith(root)
                && pattern.matcher(c.path().substring(root.length())).matches()).toList();
    }

    /** Forgets the recorded requests (not the state). */
    public void clearCalls() {
        calls.clear();
    }

    /** @return every launch request, in order */
    public List<LaunchRecord> launches() {
        return List.copyOf(launches);
    }

    /**
     * @return how many jobs are active now: created (by a launch or {@link #addJob}) and neither in a final status
     *     nor vanished; a job ends when a poll or detail request observes its end, or by {@link #forceStatus}
     */
    public int activeRuns() {
        synchronized (lock) {
            return activeRuns.now();
        }
    }

    /** @return the most jobs that were active at once (as {@link #activeRuns()} counts them) since the start */
    public int mostActiveRuns() {
        synchronized (lock) {
            return activeRuns.most();
        }
    }

    /** @param jobId a job @return its current state, or empty when it does not exist (or vanished) */
    public Optional<JobView> job(long jobId) {
        synchronized (lock) {
            FakeJob job = jobs.get(jobId);
            return job == null || job.vanished ? Optional.empty() : Optional.of(job.view());
        }
    }

    /**
     * @param name an inventory name
     * @return the inventory's id, or empty
     */
    public Optional<Long> inventoryId(String name) {
        synchronized (lock) {
            return inventories.values().stream().filter(i -> i.name.equals(name)).map(i -> i.id).findFirst();
        }
    }

    /** @return how many inventories exist */
    public int inventoryCount() {
        synchronized (lock) {
            return inventories.size();
        }
    }

    /**
     * @param inventoryId an inventory
     * @return its hosts' variables (parsed) by host name
     */
    public Map<String, Map<String, Object>> hostVariables(long inventoryId) {
        synchronized (lock) {
            Map<String, Map<String, Object>> result = new LinkedHashMap<>();
            hosts.values().stream().filter(h -> h.inventoryId == inventoryId).forEach(h -> {
                try {
                    result.put(h.name, AwxBodies.toMap(AwxBodies.MAPPER.readTree(h.variables)));
                } catch (JacksonException e) {
                    result.put(h.name, Map.of("unparsed", h.variables));
                }
            });
            return result;
        }
    }

    /**
     * @param inventoryId an inventory
     * @param group a group name
     * @return the names of the group's hosts
     */
    public Set<String> groupHosts(long inventoryId, String group) {
        synchronized (lock) {
            return groups.values().stream().filter(g -> g.inventoryId == inventoryId && g.name.equals(group))
                    .flatMap(g -> g.hostIds.stream()).map(hosts::get).filter(Objects::nonNull).map(h -> h.name)
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        }
    }

    // ---- dispatch ---------------------------------------------------------------------------------------------

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        HttpUrl url = request.getUrl();
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        RecordedCall call = new RecordedCall(request.getMethod(), url.encodedPath(), url.encodedQuery(),
                request.getHeaders().get("Authorization"), body, null, request.getHeaders());
        Fault fault;
        synchronized (lock) {
            fault = takeFault(call);
        }
        calls.add(fault == null ? call : new RecordedCall(call.method(), call.path(), call.query(),
                call.authorization(), call.body(), fault.toString(), call.headers()));
        if (fault != null && !fault.isAfterProcessing()) {
            return fault.response();
        }
        MockResponse answer;
        synchronized (lock) {
            answer = route(request, url, body);
        }
        return fault != null ? fault.response() : answer;
    }

    private @Nullable Fault takeFault(RecordedCall call) {
        for (FaultRule rule : faults) {
            if (rule.remaining > 0 && rule.which.test(call)) {
                rule.remaining--;
                return rule.fault;
            }
        }
        return null;
    }

    private MockResponse route(RecordedRequest request, HttpUrl url, String body) {
        String path = url.encodedPath();
        String method = request.getMethod();
        if (path.equals("/api/")) {
            return aap ? json(200, "{\"apis\": {\"controller\": \"/api/controller/\", \"eda\": \"/api/eda/\","
                    + " \"galaxy\": \"/api/galaxy/\", \"gateway\": \"/api/gateway/\"}}")
                    : json(200, "{\"description\": \"AWX REST API\", \"current_version\": \"/api/v2/\","
                            + " \"available_versions\": {\"v2\": \"/api/v2/\"}, \"oauth2\": \"/api/o/\","
                            + " \"custom_logo\": \"\", \"custom_login_info\": \"\", \"login_redirect_override\": \"\"}");
        }
        if (aap && path.equals("/api/controller/")) {
            return json(200, "{\"description\": \"AWX REST API\", \"current_version\": \"/api/controller/v2/\","
                    + " \"available_versions\": {\"v2\": \"/api/controller/v2/\"}}");
        }
        if (!path.startsWith(api)) {
            return notFound();
        }
        String rest = path.substring(api.length());
        if (rest.equals("ping/")) {
            return json(200, "{\"ha\": false, \"version\": \"" + version + "\", \"active_node\": \"awx-task-0\","
                    + " \"install_uuid\": \"00000000-0000-4000-8000-000000000000\", \"instances\": [],"
                    + " \"instance_groups\": []}");
        }
        if (!expectedAuthorization.equals(request.getHeaders().get("Authorization"))) {
            return Fault.unauthorized().response();
        }
        for (String param : url.queryParameterNames()) {
            if (param.startsWith("extra_vars")) {
                return json(403, "{\"detail\": \"Filtering on extra_vars is not allowed.\"}");
            }
        }
        String[] s = rest.split("/");
        try {
            return routeApi(method, s, url, body);
        } catch (NumberFormatException e) {
            return notFound();
        }
    }

    private MockResponse routeApi(String method, String[] s, HttpUrl url, String body) {
        Instant now = clock.instant();
        switch (s[0]) {
            case "jobs" -> {
                if (s.length == 1) {
                    return only(method, "GET", () -> jobList(url, null, true, now));
                }
                FakeJob job = jobs.get(Long.parseLong(s[1]));
                if (job == null || job.vanished) {
                    return notFound();
                }
                if (s.length == 2) {
                    return only(method, "GET", () -> {
                        observe(job, now);
                        return job.vanished ? notFound() : json(200, bodies.job(job, false));
                    });
                }
                if (s[2].equals("job_events")) {
                    return only(method, "GET", () -> eventList(job, url));
                }
                if (s[2].equals("cancel")) {
                    return cancel(method, job);
                }
                return notFound();
            }
            case "workflow_jobs" -> {
                return s.length == 3 && s[2].equals("cancel") && method.equals("POST") ? empty(202) : notFound();
            }
            case "job_templates" -> {
                TemplateSettings template = templates.get(Long.parseLong(s[1]));
                if (template == null || s.length < 3) {
                    return notFound();
                }
                if (s[2].equals("launch")) {
                    return method.equals("GET") ? json(200, bodies.launchInfo(template))
                            : only(method, "POST", () -> launch(template, body, now));
                }
                if (s[2].equals("jobs")) {
                    return only(method, "GET", () -> jobList(url, template.id, false, now));
                }
                if (s[2].equals("survey_spec")) {
                    return only(method, "GET", () -> json(200, SurveyRules.spec(template)));
                }
                return notFound();
            }
            case "inventories" -> {
                return inventories(method, s, url, body);
            }
            case "hosts" -> {
                Host host = hosts.get(Long.parseLong(s[1]));
                if (host == null) {
                    return notFound();
                }
                if (method.equals("PATCH")) {
                    JsonNode patch = parse(body);
                    if (patch.has("variables")) {
                        host.variables = patch.get("variables").asString();
                    }
                    if (patch.has("enabled")) {
                        host.enabled = patch.get("enabled").asBoolean();
                    }
                }
                return only(method, method.equals("PATCH") ? "PATCH" : "GET", () -> json(200, hostBody(host)));
            }
            case "groups" -> {
                Group group = groups.get(Long.parseLong(s[1]));
                if (group == null || s.length < 3 || !s[2].equals("hosts")) {
                    return notFound();
                }
                if (method.equals("POST")) {
                    return associate(group, parse(body));
                }
                List<ObjectNode> members = group.hostIds.stream().map(hosts::get).filter(Objects::nonNull)
                        .filter(h -> nameMatches(url, h.name)).map(this::hostBody).toList();
                return only(method, "GET", () -> page(url, members));
            }
            default -> {
                return notFound();
            }
        }
    }

    private MockResponse launch(TemplateSettings template, String rawBody, Instant now) {
        JsonNode request = parse(rawBody.isBlank() ? "{}" : rawBody);
        Map<String, Object> sentVars = extraVars(request.get("extra_vars"));
        Long inventory = request.hasNonNull("inventory") ? request.get("inventory").asLong() : null;
        List<Long> credentials = new ArrayList<>();
        request.path("credentials").forEach(c -> credentials.add(c.asLong()));
        if (template.launchRejection != null) {
            launches.add(new LaunchRecord(template.id, null, sentVars, inventory, credentials));
            return json(400, template.launchRejection);
        }
        ObjectNode ignored = AwxBodies.MAPPER.createObjectNode();
        SurveyRules.Outcome survey = SurveyRules.accept(template, sentVars);
        if (!survey.dropped().isEmpty()) {
            ignored.set("extra_vars", AwxBodies.MAPPER.valueToTree(survey.dropped()));
        }
        Long usedInventory = template.inventory;
        if (inventory != null) {
            if (!template.askInventory) {
                ignored.put("inventory", inventory);
            } else if (!inventories.containsKey(inventory)) {
                launches.add(new LaunchRecord(template.id, null, sentVars, inventory, credentials));
                return json(400, "{\"inventory\": [\"Invalid pk \\\"" + inventory + "\\\" - object does not exist.\"]}");
            } else {
                usedInventory = inventory;
            }
        }
        if (!credentials.isEmpty() && !template.askCredential) {
            ignored.set("credentials", AwxBodies.MAPPER.valueToTree(credentials));
        }
        if (!survey.errors().isEmpty()) {
            launches.add(new LaunchRecord(template.id, null, sentVars, inventory, credentials));
            return json(400, AwxBodies.MAPPER.createObjectNode().set("variables_needed_to_start",
                    AwxBodies.MAPPER.valueToTree(survey.errors())));
        }
        if (usedInventory == null) {
            launches.add(new LaunchRecord(template.id, null, sentVars, inventory, credentials));
            return json(400, "{\"resources_needed_to_start\": [\"Job Template inventory is missing or undefined.\"]}");
        }
        if (template.jobSliceCount > 1) {
            long workflowId = nextJobId++;
            launches.add(new LaunchRecord(template.id, null, sentVars, inventory, credentials));
            return json(201, bodies.workflowLaunched(workflowId, template.id));
        }
        Map<String, Object> vars = SurveyRules.jobVars(template, survey.accepted());
        FakeJob job = newJob(template.id, vars, SurveyRules.shown(template, vars), usedInventory,
                ignored.has("credentials") ? List.of() : credentials, now, null);
        launches.add(new LaunchRecord(template.id, job.id, sentVars, inventory, credentials));
        return new MockResponse.Builder().code(201).setHeader("Content-Type", "application/json")
                .setHeader("Location", api + "jobs/" + job.id + "/").body(write(bodies.launched(job, ignored))).build();
    }

    private FakeJob newJob(long templateId, Map<String, Object> vars, Map<String, Object> shownVars,
            @Nullable Long inventory, List<Long> credentials, Instant created, @Nullable RunScript script) {
        Object correlation = vars.get(PlaybookVariables.PROVISIONING_JOB_ID);
        RunScript chosen = script != null ? script
                : correlation != null && scripts.containsKey(correlation.toString())
                        ? scripts.get(correlation.toString()) : defaultScript;
        TemplateSettings template = templates.get(templateId);
        FakeJob job = new FakeJob(nextJobId++, templateId, template == null ? "template " + templateId : template.name,
                write(shownVars), vars, inventory, credentials, created, chosen);
        jobs.put(job.id, job);
        activeRuns.update(job);
        return job;
    }

    private void observe(FakeJob job, Instant now) {
        boolean wasFinal = job.isFinal();
        job.observe(now);
        activeRuns.update(job);
        if (!wasFinal && job.status.equals("failed") && job.script.failedTask() != null) {
            events.put(job.id, bodies.failedRunEvents(job, now));
        }
    }

    private MockResponse jobList(HttpUrl url, @Nullable Long templateId, boolean observe, Instant now) {
        Set<Long> ids = null;
        String idIn = url.queryParameter("id__in");
        if (idIn != null) {
            ids = new LinkedHashSet<>();
            for (String id : idIn.split(",")) {
                if (!id.isBlank()) {
                    ids.add(Long.parseLong(id.trim()));
                }
            }
        }
        String createdGte = url.queryParameter("created__gte");
        Instant since = createdGte == null ? null : Instant.parse(createdGte);
        List<FakeJob> selected = new ArrayList<>();
        // a poll (id__in) looks its jobs up rather than scanning every job, so that large fleets stay cheap
        Collection<FakeJob> candidates = ids == null ? jobs.values()
                : ids.stream().map(jobs::get).filter(Objects::nonNull).toList();
        for (FakeJob job : candidates) {
            if (!job.vanished && (ids == null || ids.contains(job.id))
                    && (templateId == null || job.templateId == templateId)
                    && (since == null || !job.created.isBefore(since))) {
                selected.add(job);
            }
        }
        String order = url.queryParameter("order_by");
        Comparator<FakeJob> byId = Comparator.comparingLong(j -> j.id);
        selected.sort("-id".equals(order) ? byId.reversed() : byId);
        Paging paging = paging(url, selected.size());
        List<ObjectNode> results = new ArrayList<>();
        for (FakeJob job : selected.subList(paging.from, paging.to)) {
            if (observe) {
                observe(job, now);
            }
            if (!job.vanished) {
                results.add(bodies.job(job, true));
            }
        }
        return json(200, AwxBodies.page(results, selected.size(), paging.next, paging.previous));
    }

    private MockResponse eventList(FakeJob job, HttpUrl url) {
        List<ObjectNode> all = new ArrayList<>(events.getOrDefault(job.id, List.of()));
        String eventIn = url.queryParameter("event__in");
        String event = url.queryParameter("event");
        String failed = url.queryParameter("failed");
        List<ObjectNode> selected = all.stream()
                .filter(e -> eventIn == null || List.of(eventIn.split(",")).contains(e.path("event").asString()))
                .filter(e -> event == null || event.equals(e.path("event").asString()))
                .filter(e -> failed == null || Boolean.parseBoolean(failed) == e.path("failed").asBoolean())
                .collect(Collectors.toCollection(ArrayList::new));
        String order = url.queryParameter("order_by");
        if (order != null && order.startsWith("-")) {
            selected.sort(Comparator.comparingLong((ObjectNode e) -> e.path("counter").asLong()).reversed());
        }
        return page(url, selected);
    }

    private MockResponse cancel(String method, FakeJob job) {
        if (method.equals("GET")) {
            return json(200, "{\"can_cancel\": " + !job.isFinal() + "}");
        }
        if (!method.equals("POST")) {
            return methodNotAllowed(method);
        }
        if (job.isFinal()) {
            return methodNotAllowed("POST");
        }
        job.cancelRequested = true;
        return empty(202);
    }

    private MockResponse inventories(String method, String[] s, HttpUrl url, String body) {
        if (s.length == 1) {
            if (method.equals("POST")) {
                JsonNode request = parse(body);
                String name = request.path("name").asString("");
                if (name.isBlank()) {
                    return json(400, "{\"name\": [\"This field may not be blank.\"]}");
                }
                if (!request.hasNonNull("organization")) {
                    return json(400, "{\"organization\": [\"This field is required.\"]}");
                }
                long organization = request.get("organization").asLong();
                boolean duplicate = inventories.values().stream()
                        .anyMatch(i -> i.name.equals(name) && i.organization == organization);
                if (duplicate) {
                    return json(400, "{\"__all__\": [\"Inventory with this Name and Organization already exists.\"]}");
                }
                long id = nextObjectId++;
                Inventory created = new Inventory(id, name, organization, request.path("description").asString(""),
                        request.path("variables").asString(""));
                inventories.put(id, created);
                return json(201, inventoryBody(created));
            }
            String organization = url.queryParameter("organization");
            List<ObjectNode> found = inventories.values().stream().filter(i -> nameMatches(url, i.name))
                    .filter(i -> organization == null || String.valueOf(i.organization).equals(organization))
                    .map(this::inventoryBody).toList();
            return only(method, "GET", () -> page(url, found));
        }
        Inventory inventory = inventories.get(Long.parseLong(s[1]));
        if (inventory == null) {
            return notFound();
        }
        if (s.length == 2) {
            return only(method, "GET", () -> json(200, inventoryBody(inventory)));
        }
        if (s[2].equals("hosts")) {
            if (method.equals("POST")) {
                return createHost(inventory, parse(body), null);
            }
            List<ObjectNode> found = hosts.values().stream().filter(h -> h.inventoryId == inventory.id)
                    .filter(h -> nameMatches(url, h.name)).map(this::hostBody).toList();
            return only(method, "GET", () -> page(url, found));
        }
        if (s[2].equals("groups")) {
            if (method.equals("POST")) {
                String name = parse(body).path("name").asString("");
                if (groups.values().stream().anyMatch(g -> g.inventoryId == inventory.id && g.name.equals(name))) {
                    return json(400, "{\"__all__\": [\"Group with this Name and Inventory already exists.\"]}");
                }
                long id = nextObjectId++;
                Group group = new Group(id, inventory.id, name);
                groups.put(id, group);
                return json(201, bodies.group(id, inventory.id, name));
            }
            List<ObjectNode> found = groups.values().stream().filter(g -> g.inventoryId == inventory.id)
                    .filter(g -> nameMatches(url, g.name)).map(g -> bodies.group(g.id, g.inventoryId, g.name)).toList();
            return only(method, "GET", () -> page(url, found));
        }
        return notFound();
    }

    private MockResponse createHost(Inventory inventory, JsonNode request, @Nullable Group group) {
        String name = request.path("name").asString("");
        if (hosts.values().stream().anyMatch(h -> h.inventoryId == inventory.id && h.name.equals(name))) {
            return json(400, "{\"__all__\": [\"Host with this Name and Inventory already exists.\"]}");
        }
        long id = nextObjectId++;
        Host host = new Host(id, inventory.id, name, request.path("variables").asString(""),
                request.path("enabled").asBoolean(true));
        hosts.put(id, host);
        if (group != null) {
            group.hostIds.add(id);
        }
        return json(201, hostBody(host));
    }

    private MockResponse associate(Group group, JsonNode request) {
        if (request.has("id") && !request.has("name")) {
            Host host = hosts.get(request.get("id").asLong());
            if (host == null || host.inventoryId != group.inventoryId) {
                return json(400, "{\"msg\": \"Host does not exist or is in another inventory.\"}");
            }
            group.hostIds.add(host.id);
            return empty(204);
        }
        return createHost(inventories.get(group.inventoryId), request, group);
    }

    private ObjectNode inventoryBody(Inventory i) {
        int total = (int) hosts.values().stream().filter(h -> h.inventoryId == i.id).count();
        return bodies.inventory(i.id, i.name, i.organization, i.description, i.variables, total);
    }

    private ObjectNode hostBody(Host h) {
        return bodies.host(h.id, h.inventoryId, h.name, h.variables, h.enabled);
    }

    private static boolean nameMatches(HttpUrl url, String name) {
        String wanted = url.queryParameter("name");
        return wanted == null || wanted.equals(name);
    }

    private MockResponse page(HttpUrl url, List<ObjectNode> all) {
        Paging paging = paging(url, all.size());
        return json(200, AwxBodies.page(all.subList(paging.from, paging.to), all.size(), paging.next,
                paging.previous));
    }

    private Paging paging(HttpUrl url, int count) {
        int size = 25;
        String pageSize = url.queryParameter("page_size");
        if (pageSize != null) {
            size = Math.max(1, Math.min(maxPageSize, Integer.parseInt(pageSize)));
        }
        String pageParam = url.queryParameter("page");
        int page = pageParam == null ? 1 : Math.max(1, Integer.parseInt(pageParam));
        int from = Math.min(count, (page - 1) * size);
        int to = Math.min(count, from + size);
        String next = to < count ? relative(url.newBuilder().setQueryParameter("page", String.valueOf(page + 1)).build())
                : null;
        String previous = page > 1 ? relative(url.newBuilder().setQueryParameter("page", String.valueOf(page - 1))
                .build()) : null;
        return new Paging(from, to, next, previous);
    }

    private static String relative(HttpUrl url) {
        return url.encodedPath() + (url.encodedQuery() == null ? "" : "?" + url.encodedQuery());
    }

    private static Map<String, Object> extraVars(@Nullable JsonNode node) {
        if (node == null || node.isNull()) {
            return new LinkedHashMap<>();
        }
        JsonNode tree = node;
        if (node.isString()) {
            tree = parse(node.asString());
        }
        return new LinkedHashMap<>(AwxBodies.toMap(tree));
    }

    private static JsonNode parse(String text) {
        try {
            JsonNode node = AwxBodies.MAPPER.readTree(text);
            return node == null ? AwxBodies.MAPPER.createObjectNode() : node;
        } catch (JacksonException e) {
            return AwxBodies.MAPPER.createObjectNode();
        }
    }

    private static String write(Object value) {
        try {
            return AwxBodies.MAPPER.writeValueAsString(value);
        } catch (JacksonException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockResponse only(String method, String allowed, java.util.function.Supplier<MockResponse> answer) {
        return method.equals(allowed) ? answer.get() : methodNotAllowed(method);
    }

    private static MockResponse json(int code, Object body) {
        return new MockResponse.Builder().code(code).setHeader("Content-Type", "application/json")
                .body(body instanceof String s ? s : write(body)).build();
    }

    private static MockResponse empty(int code) {
        return new MockResponse.Builder().code(code).build();
    }

    private static MockResponse notFound() {
        return json(404, "{\"detail\": \"Not found.\"}");
    }

    private static MockResponse methodNotAllowed(String method) {
        return json(405, "{\"detail\": \"Method \\\"" + method + "\\\" not allowed.\"}");
    }

    /** Accepts sockets with TCP_NODELAY, so that answers are not held back by Nagle's algorithm (~40 ms each). */
    private static final class NoDelayServerSocketFactory extends javax.net.ServerSocketFactory {
        @Override
        public java.net.ServerSocket createServerSocket() throws IOException {
            return new java.net.ServerSocket() {
                @Override
                public java.net.Socket accept() throws IOException {
                    java.net.Socket socket = super.accept();
                    socket.setTcpNoDelay(true);
                    return socket;
                }
            };
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port, int backlog) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port, int backlog, java.net.InetAddress address)
                throws IOException {
            throw new UnsupportedOperationException();
        }
    }

    private record Paging(int from, int to, @Nullable String next, @Nullable String previous) {
    }

    private static final class FaultRule {
        int remaining;
        final Fault fault;
        final Predicate<RecordedCall> which;

        FaultRule(int remaining, Fault fault, Predicate<RecordedCall> which) {
            this.remaining = remaining;
            this.fault = fault;
            this.which = which;
        }
    }

    private static final class Inventory {
        final long id;
        final String name;
        final long organization;
        final String description;
        final String variables;

        Inventory(long id, String name, long organization, String description, String variables) {
            this.id = id;
            this.name = name;
            this.organization = organization;
            this.description = description;
            this.variables = variables;
        }
    }

    private static final class Host {
        final long id;
        final long inventoryId;
        final String name;
        String variables;
        boolean enabled;

        Host(long id, long inventoryId, String name, String variables, boolean enabled) {
            this.id = id;
            this.inventoryId = inventoryId;
            this.name = name;
            this.variables = variables;
            this.enabled = enabled;
        }
    }

    private static final class Group {
        final long id;
        final long inventoryId;
        final String name;
        final Set<Long> hostIds = new LinkedHashSet<>();

        Group(long id, long inventoryId, String name) {
            this.id = id;
            this.inventoryId = inventoryId;
            this.name = name;
        }
    }
}
