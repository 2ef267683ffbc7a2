package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.JobNotFoundException;
import com.dotmac.provisioning.TenantProvisioner;
import com.dotmac.provisioning.rollout.RolloutNotFoundException;
import com.dotmac.provisioning.rollout.Rollouts;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live event streams of the REST API (README "REST API"), as Server-Sent Events: a job's or a rollout's timeline
 * so far, then its new entries as they are stored, then the end of the response once the job or rollout is in a final
 * status and its last entry was sent. Each message has {@code id:} the entry's position in the timeline (from 1; see
 * {@link EventTimeline} for why positions are stable), {@code event:} the entry's type (e.g. {@code status_changed})
 * and {@code data:} the entry as {@code GET .../events} writes it, on one line. {@code Last-Event-ID} (or
 * {@code last_event_id}) resumes after a position ({@link LastEventId}), so a client that reconnects sees every entry
 * exactly once. Reads are authorised like the job's or rollout's {@code GET} (same policy call, same 403 and 404);
 * the checks run before the stream opens, so failures are problem+json as elsewhere. Streams are followed by
 * {@link EventStreams}. Thread-safe.
 */
@RestController
@RequestMapping("${provisioning.web.base-path:" + ProvisioningController.DEFAULT_BASE_PATH + "}")
public class EventStreamController {
    private final TenantProvisioner provisioner;
    private final ProvisioningAccessPolicy access;
    private final EventStreams streams;

    /**
     * @param provisioner the library
     * @param access who may read
     * @param streams the node's open streams
     */
    public EventStreamController(TenantProvisioner provisioner, ProvisioningAccessPolicy access,
            EventStreams streams) {
        this.provisioner = provisioner;
        this.access = access;
        this.streams = streams;
    }

    /**
     * {@code GET /tenants/{tenant_id}/provisioning/jobs/{job_id}/events/stream}.
     *
     * @param tenantId the tenant
     * @param jobId the job
     * @param lastEventId the {@code Last-Event-ID} header, if any
     * @param lastEventIdParameter the {@code last_event_id} query parameter, if any (the header wins)
     * @return the stream ({@code text/event-stream})
     * @throws JobNotFoundException when the tenant has no such job (404)
     * @throws com.dotmac.provisioning.InvalidRequestException naming the header or parameter when it is not an id
     *     of this timeline (400)
     * @throws TooManyEventStreamsException when this node has its most streams open (503)
     */
    @GetMapping(path = "/tenants/{tenant_id}/provisioning/jobs/{job_id}/events/stream",
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter job(@PathVariable("tenant_id") String tenantId, @PathVariable("job_id") String jobId,
            @RequestHeader(name = LastEventId.HEADER, required = false) @Nullable String lastEventId,
            @RequestParam(name = LastEventId.PARAMETER, required = false) @Nullable String lastEventIdParameter) {
        access.authorize(ApiAction.READ, tenantId);
        provisioner.job(jobId).filter(j -> j.tenantId().equals(tenantId))
                .orElseThrow(() -> new JobNotFoundException(jobId));
        return open("job " + jobId, EventTimeline.ofJob(provisioner, jobId),
                LastEventId.of(lastEventId, lastEventIdParameter));
    }

    /**
     * {@code GET /provisioning/rollouts/{rollout_id}/events/stream}.
     *
     * @param rolloutId the rollout
     * @param lastEventId the {@code Last-Event-ID} header, if any
     * @param lastEventIdParameter the {@code last_event_id} query parameter, if any (the header wins)
     * @return the stream ({@code text/event-stream})
     * @throws RolloutNotFoundException when there is no such rollout (404)
     * @throws RolloutsUnavailableException when rollouts are not configured (501)
     * @throws com.dotmac.provisioning.InvalidRequestException naming the header or parameter when it is not an id
     *     of this timeline (400)
     * @throws TooManyEventStreamsException when this node has its most streams open (503)
     */
    @GetMapping(path = "/provisioning/rollouts/{rollout_id}/events/stream",
            produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    public SseEmitter rollout(@PathVariable("rollout_id") String rolloutId,
            @RequestHeader(name = LastEventId.HEADER, required = false) @Nullable String lastEventId,
            @RequestParam(name = LastEventId.PARAMETER, required = false) @Nullable String lastEventIdParameter) {
        access.authorize(ApiAction.READ_ROLLOUTS, ProvisioningAccessPolicy.FLEET);
        Rollouts rollouts = rollouts();
        rollouts.find(rolloutId).orElseThrow(() -> new RolloutNotFoundException(rolloutId));
        return open("rollout " + rolloutId, EventTimeline.ofRollout(rollouts, rolloutId),
                LastEventId.of(lastEventId, lastEventIdParameter));
    }

    private SseEmitter open(String name, EventTimeline timeline, LastEventId resume) {
        return streams.open(name, timeline, resume);
    }

    private Rollouts rollouts() {
        try {
            return provisioner.rollouts();
        } catch (IllegalStateException e) {
            throw new RolloutsUnavailableException();
        }
    }
}
