package com.dotmac.provisioning.spring.web;

import com.dotmac.provisioning.spring.web.dto.ApiBody;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes the REST API's bodies ({@link ApiBody} types: the request and response records and
 * {@link com.dotmac.provisioning.spring.web.dto.ApiProblem}) with the API's own mapper ({@link ApiJsonMapper}), and
 * nothing else, so that the host's other endpoints keep the host's JSON. Bodies over {@link #MAX_BODY_BYTES} are
 * refused before they are parsed. Thread-safe.
 */
public final class ApiJsonConverter extends JacksonJsonHttpMessageConverter {
    /** Largest body accepted: 256 KiB. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    /** @param mapper the API's mapper, from {@link ApiJsonMapper#from} */
    public ApiJsonConverter(JsonMapper mapper) {
        super(mapper);
        setSupportedMediaTypes(List.of(MediaType.APPLICATION_JSON, new MediaType("application", "*+json")));
    }

    /** @return whether the type is one of the API's bodies (for the class-based checks) */
    @Override
    protected boolean supports(Class<?> clazz) {
        return isApiBody(clazz);
    }

    /** @return whether the type is one of the API's bodies and the media type JSON */
    @Override
    public boolean canRead(ResolvableType type, @Nullable MediaType mediaType) {
        return isApiBody(type.resolve()) && super.canRead(type, mediaType);
    }

    /** @return whether the type is one of the API's bodies and the media type JSON */
    @Override
    public boolean canWrite(ResolvableType targetType, Class<?> valueClass, @Nullable MediaType mediaType) {
        return isApiBody(valueClass) && super.canWrite(targetType, valueClass, mediaType);
    }

    /**
     * Reads at most {@link #MAX_BODY_BYTES}, then parses.
     *
     * @throws BodyTooLargeException over the limit
     * @throws HttpMessageNotReadableException when the body is not what the type expects
     */
    @Override
    public Object read(ResolvableType type, HttpInputMessage inputMessage, @Nullable Map<String, Object> hints)
            throws IOException {
        if (inputMessage.getHeaders().getContentLength() > MAX_BODY_BYTES) {
            throw new BodyTooLargeException();
        }
        byte[] body = readCapped(inputMessage.getBody());
        return super.read(type, new HttpInputMessage() {
            @Override
            public InputStream getBody() {
                return new ByteArrayInputStream(body);
            }

            @Override
            public HttpHeaders getHeaders() {
                return inputMessage.getHeaders();
            }
        }, hints);
    }

    private static byte[] readCapped(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) != -1) {
            if (out.size() + n > MAX_BODY_BYTES) {
                throw new BodyTooLargeException();
            }
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }

    private static boolean isApiBody(@Nullable Class<?> type) {
        return type != null && ApiBody.class.isAssignableFrom(type);
    }
}
