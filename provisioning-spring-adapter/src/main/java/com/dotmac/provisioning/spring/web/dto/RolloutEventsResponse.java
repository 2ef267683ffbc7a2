package com.dotmac.provisioning.spring.web.dto;

import com.dotmac.provisioning.rollout.RolloutEvent;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A rollout's timeline, oldest first.
 *
 * @param rolloutId the rollout
 * @param items its events
 * @param total how many events there are
 */
public record RolloutEventsResponse(String rolloutId, List<Event> items, long total) implements ApiBody {
    /**
     * @param rolloutId the rollout
     * @param events its events, oldest first
     * @return their wire form
     */
    public static RolloutEventsResponse of(String rolloutId, List<RolloutEvent> events) {
        return new RolloutEventsResponse(rolloutId, events.stream().map(Event::of).toList(), events.size());
    }

    /**
     * One event of a rollout.
     *
     * @param at when it happened (ISO-8601)
     * @param type what happened, e.g. {@code wave_started}
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
        public static Event of(RolloutEvent e) {
            return new Event(e.at().toString(), e.type().wireName(), e.from() == null ? null : e.from().wireName(),
                    e.to() == null ? null : e.to().wireName(), e.message(), e.data());
        }
    }
}
