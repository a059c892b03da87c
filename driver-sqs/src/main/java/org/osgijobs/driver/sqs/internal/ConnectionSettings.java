package org.osgijobs.driver.sqs.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;

import org.osgijobs.api.JobsException;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * The {@code jobs.sqs} configuration, checked: endpoint, region, credentials. {@link #toString()} names the endpoint
 * and region only; the secret and the session token appear in no message and no log line. Immutable.
 */
final class ConnectionSettings {
    static final String KEY = "key";
    static final String SECRET = "secret";
    static final String SESSION_TOKEN = "session_token";
    static final String REGION = "region";
    static final String ENDPOINT = "endpoint";

    /** The socket read timeout: above SQS's longest long poll (20 s). */
    static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final String key;
    private final String secret;
    private final String sessionToken;
    private final String region;
    private final URI endpoint;

    private ConnectionSettings(String key, String secret, String sessionToken, String region, URI endpoint) {
        this.key = key;
        this.secret = secret;
        this.sessionToken = sessionToken;
        this.region = region;
        this.endpoint = endpoint;
    }

    /**
     * @param properties the {@code jobs.sqs} configuration (empty for RoadRunner's defaults)
     * @return the checked settings
     * @throws JobsException of kind {@code BAD_INPUT} naming the malformed key (never the secret's value)
     */
    static ConnectionSettings of(Map<String, ?> properties) {
        String key = string(properties, KEY);
        String secret = string(properties, SECRET);
        String token = string(properties, SESSION_TOKEN);
        if (key.isEmpty() != secret.isEmpty()) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "jobs.sqs: '" + KEY + "' and '" + SECRET
                    + "' go together (set both, or neither for the AWS default credentials chain)");
        }
        if (!token.isEmpty() && key.isEmpty()) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "jobs.sqs: '" + SESSION_TOKEN + "' needs '" + KEY
                    + "' and '" + SECRET + "'");
        }
        String region = string(properties, REGION);
        if (!region.isEmpty() && !region.matches("[a-z0-9-]+")) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "jobs.sqs: '" + REGION + "' is '" + region
                    + "', expected a region name such as eu-west-1");
        }
        String e = string(properties, ENDPOINT);
        URI endpoint = null;
        if (!e.isEmpty()) {
            try {
                endpoint = new URI(e);
            } catch (URISyntaxException bad) {
                endpoint = null;
            }
            if (endpoint == null || endpoint.getHost() == null || endpoint.getUserInfo() != null
                    || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))) {
                throw new JobsException(JobsException.Kind.BAD_INPUT, "jobs.sqs: '" + ENDPOINT + "' is '"
                        + mask(e) + "', expected http(s)://host[:port] without user information");
            }
        }
        return new ConnectionSettings(key, secret, token, region, endpoint);
    }

    private static String string(Map<String, ?> properties, String name) {
        Object v = properties.get(name);
        return v == null ? "" : String.valueOf(v).trim();
    }

    /**
     * Builds a client: the URL-connection HTTP client given explicitly (no ServiceLoader look-up in OSGi), calls
     * limited to {@code timeoutSeconds} unless a request says otherwise (a long poll). The SDK reads its interceptor
     * lists through the thread's context class loader: it is this bundle's while the client is built.
     */
    SqsClient client(int timeoutSeconds) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ConnectionSettings.class.getClassLoader());
        try {
            SqsClientBuilder b = SqsClient.builder()
                    .httpClient(UrlConnectionHttpClient.builder().socketTimeout(SOCKET_TIMEOUT)
                            .connectionTimeout(CONNECT_TIMEOUT).build())
                    .credentialsProvider(credentials())
                    .overrideConfiguration(ClientOverrideConfiguration.builder()
                            .apiCallTimeout(Duration.ofSeconds(timeoutSeconds)).build());
            if (!region.isEmpty()) {
                b.region(Region.of(region));
            } else if (endpoint != null) {
                b.region(Region.US_EAST_1); // an SQS-compatible server: the region only goes into the signature
            }
            if (endpoint != null) {
                b.endpointOverride(endpoint);
            }
            return b.build();
        } catch (RuntimeException e) {
            throw new JobsException(JobsException.Kind.BAD_INPUT, "jobs.sqs: cannot build an SQS client for "
                    + this + (region.isEmpty() && endpoint == null ? " (set 'region' in jobs.sqs, or AWS_REGION)" : "")
                    + ": " + mask(String.valueOf(e.getMessage())), e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private AwsCredentialsProvider credentials() {
        if (key.isEmpty()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(sessionToken.isEmpty() ? AwsBasicCredentials.create(key, secret)
                : AwsSessionCredentials.create(key, secret, sessionToken));
    }

    /** @return the endpoint (or "AWS SQS"), never a secret */
    String endpointName() {
        return endpoint != null ? endpoint.toString() : "AWS SQS" + (region.isEmpty() ? "" : " " + region);
    }

    /** Hides anything that looks like user information in a URL. */
    static String mask(String text) {
        return text.replaceAll("//[^/@\\s]*@", "//***@");
    }

    @Override
    public String toString() {
        return endpointName() + (key.isEmpty() ? " (default credentials chain)" : " (key " + key.substring(0, Math.min(4, key.length())) + "…)");
    }
}
