package com.dotmac.provisioning.awx;

/**
 * The error codes of {@link com.dotmac.provisioning.spi.AutomationException}s thrown by {@link AwxAutomationRunner};
 * a failed job carries one as its {@code error_code}.
 */
public final class AwxErrorCodes {
    /** Transient: AWX could not be reached (connection refused or reset, DNS, TLS handshake). */
    public static final String UNREACHABLE = "AWX_UNREACHABLE";
    /** Transient: AWX did not answer in time. */
    public static final String TIMEOUT = "AWX_TIMEOUT";
    /** Transient: AWX (or the proxy in front of it) answered 5xx. */
    public static final String UNAVAILABLE = "AWX_UNAVAILABLE";
    /** Transient: 429 Too Many Requests; {@code retryAfter} holds the delay when AWX gave one. */
    public static final String RATE_LIMITED = "AWX_RATE_LIMITED";
    /** Transient: AWX redirected (typically to an HTML maintenance page during upgrades). */
    public static final String REDIRECTED = "AWX_REDIRECTED";
    /** Transient: AWX answered with something that is not JSON (an HTML page). */
    public static final String NOT_JSON = "AWX_NOT_JSON";
    /** Transient: AWX's JSON could not be read, or lacked a field it always has. */
    public static final String MALFORMED_RESPONSE = "AWX_MALFORMED_RESPONSE";
    /**
     * AWX's answer was larger than the runner reads (32 MiB), declared (Content-Length) or not (chunked); transient,
     * retried with back-off (a proxy error page or an unusually large page).
     */
    public static final String RESPONSE_TOO_LARGE = "AWX_RESPONSE_TOO_LARGE";
    /** Permanent: 401, the token or password is invalid or expired. */
    public static final String UNAUTHORIZED = "AWX_UNAUTHORIZED";
    /** Permanent: 403, the AWX user lacks a permission. */
    public static final String FORBIDDEN = "AWX_FORBIDDEN";
    /** Permanent: 404, the job template, job or inventory does not exist. */
    public static final String NOT_FOUND = "AWX_NOT_FOUND";
    /** Permanent: 400, AWX rejected the launch (its field messages are in the exception's message). */
    public static final String LAUNCH_REJECTED = "AWX_LAUNCH_REJECTED";
    /** Permanent: another 4xx answer AWX gave to a request. */
    public static final String REQUEST_REJECTED = "AWX_REQUEST_REJECTED";
    /** Permanent: the job template dropped launch fields (extra_vars, inventory, credentials) the job needs. */
    public static final String IGNORED_FIELDS = "AWX_IGNORED_FIELDS";
    /** Permanent: the template uses job slicing (a workflow job was started), which the runner does not follow. */
    public static final String JOB_SLICING_UNSUPPORTED = "AWX_JOB_SLICING_UNSUPPORTED";
    /** Permanent: no job template is configured for the job's operation and mode. */
    public static final String NO_TEMPLATE = "AWX_NO_TEMPLATE";
    /** Permanent: the runner's configuration lacks something the job needs (e.g. the organization). */
    public static final String CONFIGURATION = "AWX_CONFIGURATION";
    /** Permanent: the connection profile's credential_ref is not an AWX credential id. */
    public static final String CREDENTIAL_REF = "AWX_CREDENTIAL_REF";
    /** Permanent: the run id is not an AWX job id. */
    public static final String INVALID_RUN_ID = "AWX_INVALID_RUN_ID";

    private AwxErrorCodes() {
    }
}
