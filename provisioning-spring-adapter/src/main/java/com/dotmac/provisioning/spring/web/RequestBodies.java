package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.InvalidRequestException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;

/** Reads request bodies with a size cap, so a huge body is refused before it fills the heap. */
final class RequestBodies {
    /** Largest body accepted: 256 KiB. */
    static final int MAX_BODY_BYTES = 256 * 1024;

    private RequestBodies() {
    }

    /**
     * @return the body as UTF-8 text, or null when there is none
     * @throws BodyTooLargeException over {@link #MAX_BODY_BYTES}
     * @throws InvalidRequestException when a body is not JSON by its content type
     */
    static @Nullable String read(HttpServletRequest request) throws IOException {
        String contentType = request.getContentType();
        long declared = request.getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw new BodyTooLargeException();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = request.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (out.size() + n > MAX_BODY_BYTES) {
                    throw new BodyTooLargeException();
                }
                out.write(buffer, 0, n);
            }
        }
        if (out.size() == 0) {
            return null;
        }
        if (contentType != null && !isJson(contentType)) {
            throw new InvalidRequestException("body", "must be JSON (Content-Type: application/json), not "
                    + contentType.split(";")[0]);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static boolean isJson(String contentType) {
        try {
            MediaType type = MediaType.parseMediaType(contentType);
            return type.getSubtype().equals("json") || type.getSubtype().endsWith("+json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The body exceeds {@link #MAX_BODY_BYTES} (413). */
    static final class BodyTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BodyTooLargeException() {
            super("the request body is larger than " + MAX_BODY_BYTES / 1024 + " KiB");
        }
    }
}
