package com.dotmac.provisioning.spring.web.dto;

import com.dotmac.provisioning.JobEvent;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A job's timeline, oldest first.
 *
 * @param jobId the job
 * @param items its events
 * @param total how many events there are
 */
public record JobEventsResponse(String jobId, List<Event> items, long total) implements ApiBody {
    /**
     * @param jobId the job
     * @param events its events, oldest first
     * @return their wire form
     */
    public static JobEventsResponse of(String jobId, List<JobEvent> events) {
        return new JobEventsResponse(jobId, events.stream().map(Event::of).toList(), events.size());
    }

    /**
     * One event of a job.
     *
     * @param at when it happened (ISO-8601)
     * @param type what happened, e.g. {@code status_changed}
     * @param from the status before, for a status change
     * @param to the status after, for a status change or creation
     * @param message a sentence for an operator; never a secret
     * @param data JSON-shaped details, keys as recorded
     */
    public record Event(String at, String type, @Nullable String from, @Nullable String to, String message,
            Map<String, Object> data) {
        /**
         * The wire form of one entry, as the timeline endpoint and the event stream write it.
         *
         * @param e the entry
         * @return its wire form
         */
        public static Event of(JobEvent e) {
            return new Event(e.at().toString(), e.type().wireName(), e.from() == null ? null : e.from().wireName(),
                    e.to() == null ? null : e.to().wireName(), e.message(), e.data());
        }
    }
}
