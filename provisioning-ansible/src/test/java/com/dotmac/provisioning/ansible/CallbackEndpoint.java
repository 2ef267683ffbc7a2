package com.dotmac.provisioning.ansible;

import com.dotmac.provisioning.CallbackReport;
import com.dotmac.provisioning.InvalidCallbackTokenException;
import com.dotmac.provisioning.JobFinishedException;
import com.dotmac.provisioning.JobNotFoundException;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.ansible.internal.AnsibleJson;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.jspecify.annotations.Nullable;

/**
 * The platform's callback endpoint, as a host would serve it: a MockWebServer that hands each
 * {@code POST .../jobs/{job_id}/callback} to {@link TenantProvisioner#acceptCallback} and records what it got.
 */
final class CallbackEndpoint implements AutoCloseable {
    private static final Pattern PATH = Pattern.compile("/api/v1/tenants/([^/]+)/provisioning/jobs/([^/]+)/callback");

    private final MockWebServer server = new MockWebServer();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile @Nullable TenantProvisioner provisioner;

    CallbackEndpoint() throws IOException {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return handle(request);
            }
        });
        server.start();
    }

    /** @return the URL template for {@link com.dotmac.provisioning.CallbackSettings} */
    String urlTemplate() {
        return server.url("/").toString() + "api/v1/tenants/{tenant_id}/provisioning/jobs/{job_id}/callback";
    }

    /** @param v the provisioner that accepts the callbacks from now on */
    void forwardTo(TenantProvisioner v) {
        this.provisioner = v;
    }

    /** @return the callbacks received, in order */
    List<Call> calls() {
        return List.copyOf(calls);
    }

    @SuppressWarnings("unchecked")
    private MockResponse handle(RecordedRequest request) {
        String body = request.getBody() == null ? "" : request.getBody().utf8();
        String authorization = request.getHeaders().get("Authorization");
        Matcher path = PATH.matcher(request.getUrl().encodedPath());
        TenantProvisioner target = provisioner;
        int status;
        if (!"POST".equals(request.getMethod()) || !path.matches() || target == null) {
            status = 404;
        } else {
            Map<String, Object> json = AnsibleJson.readObject(body);
            String token = authorization != null && authorization.startsWith("Bearer ")
                    ? authorization.substring("Bearer ".length()) : null;
            Object runId = json.get("awx_job_id");
            CallbackReport report = new CallbackReport((String) json.get("status"),
                    runId == null ? null : runId.toString(), (Map<String, Object>) json.getOrDefault("artifacts",
                            Map.of()));
            try {
                target.acceptCallback(path.group(2), token, report);
                status = 204;
            } catch (InvalidCallbackTokenException e) {
                status = 401;
            } catch (JobNotFoundException e) {
                status = 404;
            } catch (JobFinishedException e) {
                status = 409;
            }
        }
        calls.add(new Call(request.getUrl().encodedPath(), authorization, body, status));
        return new MockResponse.Builder().code(status).build();
    }

    @Override
    public void close() {
        server.close();
    }

    /**
     * One callback.
     *
     * @param path its path
     * @param authorization its Authorization header
     * @param body its JSON body
     * @param status the answer
     */
    record Call(String path, @Nullable String authorization, String body, int status) {
    }
}
