package com.dotmac.provisioning.reliability.crash;

import com.dotmac.provisioning.events.EventConsumer;
import com.dotmac.provisioning.events.ProvisioningEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The receiving end of {@link OutboxCrashTest}: an {@link EventConsumer} in a node that appends one line per received
 * event to a file of its own (one file per node, so two JVMs never interleave) and forces it to disk before it returns,
 * and the parent's reader of those files.
 *
 * <p>Why a file: the line is handed to the kernel by {@code write} before {@link #accept} returns, so a SIGKILL of
 * the node right after (the kill points are after the consumer returned) cannot lose it; the {@code force} makes it
 * durable even against the machine's crash, as a message bus's acknowledgement would. The receiver is outside both the
 * node and the database under test, so nothing the node's death or the outbox's transactions do can undo a receipt.
 * Thread-safe: {@link #accept} is synchronized (the engine delivers on one thread anyway).
 */
final class EventFile implements EventConsumer {
    private static final String SEPARATOR = "\t";

    private final FileChannel channel;
    private final String nodeId;

    /**
     * One received event, as a node wrote it.
     *
     * @param eventId the event's id
     * @param type e.g. {@code job.succeeded}
     * @param tenantId its tenant
     * @param jobId its job
     * @param at when the change happened (the event's {@code at})
     * @param receivedMillis when the consumer took it (epoch milliseconds, the node's clock: the same machine)
     * @param nodeId the node that delivered it
     */
    record Line(String eventId, String type, String tenantId, String jobId, Instant at, long receivedMillis,
            String nodeId) {
        /** @return the status the change went to, e.g. {@code succeeded} */
        String toStatus() {
            return type.substring(ProvisioningEvent.JOB_TYPE_PREFIX.length());
        }
    }

    /**
     * @param file the node's file (created or appended to)
     * @param nodeId the node writing it
     * @throws IOException when it cannot be opened
     */
    EventFile(Path file, String nodeId) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
        this.nodeId = nodeId;
    }

    @Override
    public synchronized void accept(ProvisioningEvent event) throws IOException {
        String line = String.join(SEPARATOR, event.id(), event.type(), Objects.toString(event.tenantId()),
                Objects.toString(event.jobId()), event.at().toString(), Long.toString(System.currentTimeMillis()),
                nodeId) + "\n";
        ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
        channel.force(false);
    }

    /**
     * @param file a node's file
     * @return its lines in the order written; none when the file does not exist (the node received nothing)
     * @throws IOException when it cannot be read
     */
    static List<Line> read(Path file) throws IOException {
        List<Line> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        for (String text : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (text.isBlank()) {
                continue;
            }
            String[] f = text.split(SEPARATOR, -1);
            lines.add(new Line(f[0], f[1], f[2], f[3], Instant.parse(f[4]), Long.parseLong(f[5]), f[6]));
        }
        return lines;
    }
}
