package com.dotmac.provisioning.awx;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the runner authenticates to AWX: a Bearer token (an AWX personal access token, or on Ansible Automation
 * Platform 2.5+ a gateway token) or Basic credentials (user name and password). Immutable and thread-safe.
 *
 * <p>The token and the password are secrets: {@link #toString()} never shows them, and the runner never logs the
 * {@code Authorization} header.
 */
public final class AwxCredentials {
    private final String scheme;
    private final @Nullable String username;
    private final String secret;

    private AwxCredentials(String scheme, @Nullable String username, String secret) {
        this.scheme = scheme;
        this.username = username;
        this.secret = secret;
    }

    /**
     * @param token an AWX personal access token or an AAP gateway token
     * @return credentials sent as {@code Authorization: Bearer <token>}
     * @throws IllegalArgumentException when the token is blank or contains white space or control characters
     */
    public static AwxCredentials bearerToken(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException("token must be printable ASCII without spaces");
        }
        return new AwxCredentials("Bearer", null, token);
    }

    /**
     * @param username the AWX user
     * @param password the user's password
     * @return credentials sent as {@code Authorization: Basic ...}
     * @throws IllegalArgumentException when either is blank, or the user name contains ':' or control characters
     */
    public static AwxCredentials basic(String username, String password) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isBlank()) {
            throw new IllegalArgumentException("username must not be blank");
        }
        if (username.indexOf(':') >= 0 || username.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("username must not contain ':' or control characters");
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException("password must not be empty");
        }
        return new AwxCredentials("Basic", username, password);
    }

    /** @return {@code Bearer} or {@code Basic} */
    public String scheme() {
        return scheme;
    }

    /** @return the Basic user name, or null for a token */
    public @Nullable String username() {
        return username;
    }

    /**
     * The value of the {@code Authorization} header. It carries the secret: never log or display it.
     *
     * @return e.g. {@code Bearer <token>}
     */
    public String authorizationHeaderValue() {
        if (username == null) {
            return "Bearer " + secret;
        }
        return "Basic " + encodedPair();
    }

    private String encodedPair() {
        String pair = username + ":" + secret;
        return Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Replaces every occurrence of the secret (and of the header value, and for Basic of the encoded
     * {@code user:password} pair also on its own) in a text, so that text from AWX can be shown safely.
     *
     * @param text any text
     * @return the text with the secret replaced by {@code [redacted]}
     */
    public String redact(String text) {
        String result = text.replace(authorizationHeaderValue(), scheme + " [redacted]");
        if (username != null) {
            // the encoded user:password pair on its own (echoed without the "Basic " prefix)
            result = result.replace(encodedPair(), "[redacted]");
        }
        return secret.length() >= 4 ? result.replace(secret, "[redacted]") : result;
    }

    /** @return the scheme and, for Basic, the user name; never the secret */
    @Override
    public String toString() {
        return username == null ? "AwxCredentials[bearer token, hidden]"
                : "AwxCredentials[basic, username=" + username + ", password hidden]";
    }
}
