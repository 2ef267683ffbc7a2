package com.dotmac.provisioning.awx.internal;

import com.dotmac.provisioning.awx.AwxConfig;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the runner's OkHttp client from the configuration. Stateless, thread-safe. */
public final class HttpClients {
    private static final Logger log = LoggerFactory.getLogger(HttpClients.class);

    private HttpClients() {
    }

    /**
     * Derives the runner's client from the caller's ({@code newBuilder()}, sharing its connection pool and
     * dispatcher) or makes a new one, with the configured timeouts and TLS, without following redirects (a
     * redirect means maintenance; following it would turn a launch POST into a GET of an HTML page), and with
     * {@link InterruptibleSockets} unless the caller's client has a socket factory of its own.
     *
     * @param config the runner's configuration
     * @return the client
     * @throws IllegalStateException when the JVM cannot make an SSL context
     */
    public static OkHttpClient create(AwxConfig config) {
        OkHttpClient base = config.httpClient();
        OkHttpClient.Builder builder = base != null ? base.newBuilder() : new OkHttpClient.Builder();
        builder.connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout())
                .followRedirects(false)
                .followSslRedirects(false);
        if (base == null || base.socketFactory() == SocketFactory.getDefault()) {
            // the host's own socket factory is kept; the default one is replaced by sockets that see interrupts
            builder.socketFactory(InterruptibleSockets.INSTANCE);
        }
        SSLSocketFactory socketFactory = config.sslSocketFactory();
        X509TrustManager trustManager = config.trustManager();
        if (socketFactory != null && trustManager != null) {
            builder.sslSocketFactory(socketFactory, trustManager);
        } else if (config.insecureSkipTlsVerify()) {
            log.warn("TLS verification for AWX at {} is OFF (insecureSkipTlsVerify): anyone on the network path can"
                    + " impersonate AWX and read the AWX credentials; configure trust material instead",
                    config.baseUrl());
            X509TrustManager trustAll = new TrustEverything();
            builder.sslSocketFactory(trustingContext(trustAll).getSocketFactory(), trustAll)
                    .hostnameVerifier((host, session) -> true);
        }
        HttpUrl url = HttpUrl.get(config.baseUrl());
        if (!url.isHttps() && !isLoopback(url.host())) {
            log.warn("AWX base URL {} uses plain HTTP: the AWX credentials travel unencrypted", config.baseUrl());
        }
        return builder.build();
    }

    private static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    private static SSLContext trustingContext(X509TrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {trustManager}, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot create an SSL context: " + e.getMessage(), e);
        }
    }

    /** Accepts every certificate: only behind {@code insecureSkipTlsVerify}. */
    private static final class TrustEverything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // insecureSkipTlsVerify: deliberately no check
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // insecureSkipTlsVerify: deliberately no check
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
