package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.InvalidRequestException;
import org.jspecify.annotations.Nullable;

/**
 * Where a resumed event stream starts: after the entry whose position the client names in the {@code Last-Event-ID}
 * header (what {@code EventSource} sends when it reconnects) or, for a client that cannot set headers, the
 * {@code last_event_id} query parameter. The header wins when both are sent: an {@code EventSource} reconnects to the
 * same URL, query included, with the newer id in the header.
 *
 * <p>A value that is not a whole number from 0, or that is beyond the timeline's end, is refused (400 naming the header
 * or the parameter): ids are positions in an append-only timeline, so such an id was never sent by this stream, and
 * taking it as "nothing yet" would silently skip the entries up to it.
 *
 * @param position the entries the client has (0: none)
 * @param source the header or parameter it came from (for a 400), or {@code none}
 */
public record LastEventId(int position, String source) {
    /** The header's name. */
    public static final String HEADER = "Last-Event-ID";
    /** The query parameter's name. */
    public static final String PARAMETER = "last_event_id";

    /**
     * @param header the {@code Last-Event-ID} header, if sent
     * @param parameter the {@code last_event_id} parameter, if sent
     * @return the position to resume after (0 when neither is sent or the one used is blank)
     * @throws InvalidRequestException naming the header or parameter when its value is not a whole number from 0
     */
    public static LastEventId of(@Nullable String header, @Nullable String parameter) {
        if (header != null) {
            return parse(header, HEADER);
        }
        if (parameter != null) {
            return parse(parameter, PARAMETER);
        }
        return new LastEventId(0, "none");
    }

    /**
     * @param total how many entries the timeline has now
     * @throws InvalidRequestException naming the source when the position is beyond the end
     */
    public void checkWithin(int total) {
        if (position > total) {
            throw new InvalidRequestException(source, "is beyond the end of the timeline (" + total + " entries)");
        }
    }

    private static LastEventId parse(String value, String source) {
        String v = value.trim();
        if (v.isEmpty()) {
            return new LastEventId(0, source);
        }
        if (v.length() > 10 || !v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidRequestException(source, "must be the id of an event of this stream (a whole number)");
        }
        long n = Long.parseLong(v);
        if (n > Integer.MAX_VALUE) {
            throw new InvalidRequestException(source, "must be the id of an event of this stream (a whole number)");
        }
        return new LastEventId((int) n, source);
    }
}
