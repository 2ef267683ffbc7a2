package com.dotmac.provisioning.reliability.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.dotmac.provisioning.TenantProvisioner;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Looks for secrets in texts (log lines, row values, response bodies) and reports where, with the secret masked. */
public final class SecretScan {
    private static final int CONTEXT = 160;

    private SecretScan() {
    }

    /**
     * @param db a schema with provisioning jobs
     * @param provisioner a provisioner with the callback secret the jobs were made with
     * @return the callback token of every job in the schema, by a name that says whose it is
     */
    public static Map<String, String> jobTokens(Schema db, TenantProvisioner provisioner) {
        Map<String, String> tokens = new LinkedHashMap<>();
        db.rows("SELECT id FROM tenant_provisioning_jobs ORDER BY created_at, id").forEach(row -> {
            String id = String.valueOf(row.get("id"));
            tokens.put("callback token of job " + id, provisioner.callbackToken(id));
        });
        return tokens;
    }

    /**
     * Adds the forms in which a secret may leak without appearing verbatim: Base64 (standard and URL-safe, at each of
     * the three alignments a secret can have inside a longer encoded text, so that {@code user:secret} encoded as a
     * whole is found too) and URL encoding.
     *
     * @param secrets secret values by name
     * @return the secrets and their encoded forms, by a name that says which form it is
     */
    public static Map<String, String> withEncodedForms(Map<String, String> secrets) {
        Map<String, String> all = new LinkedHashMap<>(secrets);
        for (Map.Entry<String, String> secret : secrets.entrySet()) {
            String value = secret.getValue();
            for (int offset = 0; offset < 3; offset++) {
                String base64 = base64Inside(value, offset);
                putIfNew(all, secret.getKey() + " (Base64, offset " + offset + ")", base64);
                putIfNew(all, secret.getKey() + " (URL-safe Base64, offset " + offset + ")",
                        base64.replace('+', '-').replace('/', '_'));
            }
            String urlEncoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
            putIfNew(all, secret.getKey() + " (URL-encoded)", urlEncoded);
            putIfNew(all, secret.getKey() + " (URL-encoded, %20)", urlEncoded.replace("+", "%20"));
        }
        return all;
    }

    /**
     * The part of the Base64 text of {@code offset} unknown bytes followed by the secret that depends on the secret's
     * bytes alone: what any Base64 text that holds the secret at that alignment contains.
     */
    private static String base64Inside(String secret, int offset) {
        byte[] bytes = ("xx".substring(0, offset) + secret).getBytes(StandardCharsets.UTF_8);
        String encoded = Base64.getEncoder().withoutPadding().encodeToString(bytes);
        int skipped = offset == 0 ? 0 : offset + 1; // the characters that hold bits of the unknown bytes
        int end = bytes.length % 3 == 0 ? encoded.length() : encoded.length() - 1; // the last, partial character
        return encoded.substring(skipped, end);
    }

    private static void putIfNew(Map<String, String> all, String name, String value) {
        if (!all.containsValue(value)) {
            all.put(name, value);
        }
    }

    /**
     * @param secrets secret values by name
     * @param texts where to look
     * @return one line per text that holds a secret: which secret, and the text around it (secret masked)
     */
    public static List<String> findings(Map<String, String> secrets, Collection<String> texts) {
        List<String> findings = new ArrayList<>();
        for (String text : texts) {
            for (Map.Entry<String, String> secret : secrets.entrySet()) {
                int at = text.indexOf(secret.getValue());
                if (at >= 0) {
                    String around = text.substring(Math.max(0, at - CONTEXT),
                            Math.min(text.length(), at + secret.getValue().length() + CONTEXT));
                    findings.add(secret.getKey() + " in: " + around.replaceAll(Pattern.quote(secret.getValue()),
                            "<" + secret.getKey() + ">"));
                }
            }
        }
        return findings;
    }

    /**
     * @param where what the texts are, e.g. {@code log lines}
     * @param secrets secret values by name (each at least 8 characters, so that a match means something)
     * @param texts where to look
     */
    public static void assertNoSecretIn(String where, Map<String, String> secrets, Collection<String> texts) {
        assertThat(secrets.values()).as("secrets to look for").allSatisfy(s -> assertThat(s).hasSizeGreaterThan(7));
        assertThat(findings(secrets, texts)).as("secrets found in %d %s", texts.size(), where).isEmpty();
    }
}
