package com.dotmac.provisioning.console.internal;

import com.dotmac.provisioning.JobNotFoundException;
import com.dotmac.provisioning.ProvisioningJob;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.rollout.RolloutNotFoundException;
import com.dotmac.provisioning.rollout.Rollouts;
import com.dotmac.provisioning.spring.web.ApiAction;
import com.dotmac.provisioning.spring.web.EventStreams;
import com.dotmac.provisioning.spring.web.EventTimeline;
import com.dotmac.provisioning.spring.web.LastEventId;
import com.dotmac.provisioning.spring.web.ProvisioningAccessPolicy;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The event streams the console's pages follow (Server-Sent Events under the console's base path, so the host's
 * console security chain and session apply): a job's or a rollout's timeline, the same messages as the REST API's
 * streams, served by the starter's {@link EventStreams}. The page's script re-fetches its live fragment on each
 * message and falls back to polling when the stream fails. Access is the page's: an unknown job and a job of a
 * tenant the caller may not read are the same 404; rollouts need the rollout read authority. {@code Last-Event-ID}
 * (or {@code last_event_id}) resumes as in the REST API. Thread-safe.
 */
@Controller
@RequestMapping("${provisioning.console.base-path:/provisioning-console}")
class StreamsController {
    private final TenantProvisioner provisioner;
    private final ConsoleAccess access;
    private final EventStreams streams;

    /**
     * @param provisioner the library
     * @param access who may look
     * @param streams the node's open event streams (the starter's)
     */
    StreamsController(TenantProvisioner provisioner, ConsoleAccess access, EventStreams streams) {
        this.provisioner = Objects.requireNonNull(provisioner, "provisioner");
        this.access = Objects.requireNonNull(access, "access");
        this.streams = Objects.requireNonNull(streams, "streams");
    }

    /**
     * @param id the job
     * @param lastEventId the {@code Last-Event-ID} header, if any
     * @param lastEventIdParameter the {@code last_event_id} query parameter, if any (the header wins)
     * @return the job's event stream ({@code text/event-stream}); it ends after the job's final status
     * @throws JobNotFoundException when there is no such job or the caller may not read its tenant (a 404)
     * @throws com.dotmac.provisioning.InvalidRequestException when the id is not one of this timeline's (a 400)
     * @throws com.dotmac.provisioning.spring.web.TooManyEventStreamsException when this node has its most streams
     *     open (a 503)
     */
    @GetMapping(path = "/jobs/{id}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter job(@PathVariable String id,
            @RequestHeader(name = LastEventId.HEADER, required = false) @Nullable String lastEventId,
            @RequestParam(name = LastEventId.PARAMETER, required = false) @Nullable String lastEventIdParameter) {
        ProvisioningJob job = provisioner.job(id).orElse(null);
        if (job == null || !access.may(ApiAction.READ, job.tenantId())) {
            throw new JobNotFoundException(id);
        }
        return streams.open("job " + id, EventTimeline.ofJob(provisioner, id),
                LastEventId.of(lastEventId, lastEventIdParameter));
    }

    /**
     * @param id the rollout
     * @param lastEventId the {@code Last-Event-ID} header, if any
     * @param lastEventIdParameter the {@code last_event_id} query parameter, if any (the header wins)
     * @return the rollout's event stream ({@code text/event-stream}); it ends after the rollout's final status
     * @throws com.dotmac.provisioning.spring.web.ApiAccessException when the caller may not read rollouts (a 403)
     * @throws RolloutNotFoundException when there is no such rollout (a 404)
     * @throws com.dotmac.provisioning.InvalidRequestException when the id is not one of this timeline's (a 400)
     * @throws com.dotmac.provisioning.spring.web.TooManyEventStreamsException when this node has its most streams
     *     open (a 503)
     */
    @GetMapping(path = "/rollouts/{id}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter rollout(@PathVariable String id,
            @RequestHeader(name = LastEventId.HEADER, required = false) @Nullable String lastEventId,
            @RequestParam(name = LastEventId.PARAMETER, required = false) @Nullable String lastEventIdParameter) {
        access.require(ApiAction.READ_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        Rollouts rollouts = provisioner.rollouts();
        rollouts.find(id).orElseThrow(() -> new RolloutNotFoundException(id));
        return streams.open("rollout " + id, EventTimeline.ofRollout(rollouts, id),
                LastEventId.of(lastEventId, lastEventIdParameter));
    }
}
