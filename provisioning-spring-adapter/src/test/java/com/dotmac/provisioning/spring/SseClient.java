package com.dotmac.provisioning.spring;

import static org.awaitility.Awaitility.await;

import com.example.platform.ApiTestApplication;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Server-Sent Events client for the tests: a real HTTP connection ({@link HttpClient}) whose body a thread of its
 * own reads line by line and parses into messages, comments and {@code retry:} hints as the EventSource
 * specification does. {@link #close()} drops the connection, as a browser tab that goes away.
 */
final class SseClient implements AutoCloseable {
    private static final JsonMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();
    private static final Duration WAIT = Duration.ofSeconds(20);

    /** One message: its {@code id:}, {@code event:} and {@code data:} (lines joined by \n). */
    record Message(String id, String event, String data) {
        Map<String, Object> json() {
            return JSON.readValue(data, new TypeReference<Map<String, Object>>() { });
        }
    }

    private final HttpResponse<InputStream> response;
    private final List<Message> messages = new CopyOnWriteArrayList<>();
    private final List<String> comments = new CopyOnWriteArrayList<>();
    private final List<String> retries = new CopyOnWriteArrayList<>();
    private volatile boolean ended;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        Thread reader = new Thread(this::read, "test-sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Connects and waits for the status and headers, at most {@link #WAIT} (a server that never answers fails the
     * test with {@link java.net.http.HttpTimeoutException} instead of holding it).
     *
     * @param port the server's port
     * @param path the stream's path, query included
     * @param user a user of {@link ApiTestApplication}
     * @param lastEventId the {@code Last-Event-ID} header, or null for none
     * @return the connected client (any status; read {@link #status()})
     */
    static SseClient connect(int port, String path, String user, @Nullable String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET()
                .timeout(WAIT) // the status and headers; a stream's body has no bound
                .header("Accept", "text/event-stream")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                        (user + ":" + ApiTestApplication.PASSWORD).getBytes(StandardCharsets.UTF_8)));
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        return new SseClient(HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    int status() {
        return response.statusCode();
    }

    String contentType() {
        return response.headers().firstValue("content-type").orElse("");
    }

    List<Message> messages() {
        return List.copyOf(messages);
    }

    List<String> comments() {
        return List.copyOf(comments);
    }

    List<String> retries() {
        return List.copyOf(retries);
    }

    /** @return whether the server ended the response */
    boolean ended() {
        return ended;
    }

    /** Waits until at least {@code n} messages arrived. */
    List<Message> awaitMessages(int n) {
        await().atMost(WAIT).until(() -> messages.size() >= n);
        return messages();
    }

    /** Waits until the server ends the response. */
    List<Message> awaitEnd() {
        await().atMost(WAIT).until(() -> ended);
        return messages();
    }

    @Override
    public void close() throws IOException {
        response.body().close();
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String id = "";
            String event = "";
            List<String> data = new ArrayList<>();
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isEmpty()) {
                    if (!data.isEmpty()) {
                        messages.add(new Message(id, event.isEmpty() ? "message" : event, String.join("\n", data)));
                    }
                    event = "";
                    data = new ArrayList<>();
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(colon + 1);
                if (value.startsWith(" ")) {
                    value = value.substring(1);
                }
                switch (field) {
                    case "" -> comments.add(value);
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data.add(value);
                    case "retry" -> retries.add(value);
                    default -> { }
                }
            }
        } catch (IOException e) {
            // closed by the test
        } finally {
            ended = true;
        }
    }
}
