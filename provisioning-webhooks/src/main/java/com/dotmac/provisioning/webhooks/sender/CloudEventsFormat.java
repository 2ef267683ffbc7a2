package com.dotmac.provisioning.webhooks.sender;

import com.dotmac.provisioning.events.ProvisioningEvent;
import com.dotmac.provisioning.json.JsonValuesCodec;
import java.net.URI;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a {@link ProvisioningEvent} as a CloudEvents 1.0 event in structured JSON mode
 * ({@value #CONTENT_TYPE}):
 *
 * <pre>{@code
 * {"specversion":"1.0","id":"<event id>","source":"/tenant-provisioning",
 *  "type":"com.dotmac.provisioning.job.succeeded","subject":"acme","time":"2026-01-01T10:00:00Z",
 *  "datacontenttype":"application/json",
 *  "data":{"tenant_id":"acme","job_id":"...","operation":"provision","from":"in_progress","to":"succeeded",
 *          "message":"..."},
 *  "traceparent":"00-...-...-01"}
 * }</pre>
 *
 * <p>{@code id} is the event's stable id (receivers deduplicate by it); {@code subject} the tenant id, or
 * {@code rollouts/<id>} for a rollout event; {@code data} the tenant and job (or rollout) ids followed by the event's
 * own data. When the event's data holds a string under {@value #TRACEPARENT}, it is emitted as the CloudEvents
 * distributed-tracing extension attribute {@code traceparent} instead of inside {@code data}.
 *
 * <p>Immutable and thread-safe.
 */
public final class CloudEventsFormat {
    /** The content type of a structured-mode CloudEvent in JSON. */
    public static final String CONTENT_TYPE = "application/cloudevents+json";
    /** The default {@code source}. */
    public static final URI DEFAULT_SOURCE = URI.create("/tenant-provisioning");
    /** What every {@code type} starts with, followed by the event's type (e.g. {@code job.succeeded}). */
    public static final String TYPE_PREFIX = "com.dotmac.provisioning.";
    /** The data key, and the extension attribute, of the W3C trace context. */
    public static final String TRACEPARENT = ProvisioningEvent.TRACEPARENT;

    private final URI source;

    /** @param source the {@code source} attribute of every event (a URI reference, e.g. {@code /tenant-provisioning}) */
    public CloudEventsFormat(URI source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** @return the format with {@link #DEFAULT_SOURCE} */
    public static CloudEventsFormat standard() {
        return new CloudEventsFormat(DEFAULT_SOURCE);
    }

    /** @return the {@code source} attribute */
    public URI source() {
        return source;
    }

    /**
     * @param event the event
     * @return the CloudEvent's attributes and data, in order (JSON-shaped)
     */
    public Map<String, Object> toMap(ProvisioningEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        if (event.tenantId() != null) {
            data.put("tenant_id", event.tenantId());
        }
        if (event.jobId() != null) {
            data.put("job_id", event.jobId());
        }
        if (event.rolloutId() != null) {
            data.put("rollout_id", event.rolloutId());
        }
        Object traceparent = event.data().get(TRACEPARENT);
        event.data().forEach((k, v) -> {
            if (!(k.equals(TRACEPARENT) && traceparent instanceof String) && !data.containsKey(k)) {
                data.put(k, v);
            }
        });
        Map<String, Object> ce = new LinkedHashMap<>();
        ce.put("specversion", "1.0");
        ce.put("id", event.id());
        ce.put("source", source.toString());
        ce.put("type", TYPE_PREFIX + event.type());
        ce.put("subject", event.tenantId() != null ? event.tenantId() : "rollouts/" + event.rolloutId());
        ce.put("time", DateTimeFormatter.ISO_INSTANT.format(event.at()));
        ce.put("datacontenttype", "application/json");
        if (traceparent instanceof String s) {
            ce.put(TRACEPARENT, s);
        }
        ce.put("data", data);
        return ce;
    }

    /**
     * @param event the event
     * @return the CloudEvent as compact JSON text, the body of a webhook request
     */
    public String write(ProvisioningEvent event) {
        return JsonValuesCodec.standard().write(toMap(event));
    }
}
