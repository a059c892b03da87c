package org.osgijobs.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.File;

import org.ops4j.pax.exam.Option;

/**
 * Provisioning options for the test framework. Every bundle is a {@code file:} URL into the folder that
 * maven-dependency-plugin fills from this module's dependencies ({@code target/bundles/<artifactId>.jar}), so the
 * tests run offline and always against the bundles the build just resolved. A bundle used here must be a direct
 * dependency of {@code itests/pom.xml} with scope {@code provided}.
 * <p>
 * These methods run outside the framework, in pax-exam's {@code @Configuration} step.
 */
public final class ItestBundles {

    /** System property (set by failsafe) naming the folder of bundle jars. */
    public static final String BUNDLES_DIR_PROPERTY = "itest.bundles.dir";
    /** System property (set by failsafe) naming the folder under which each test class gets its Felix storage. */
    public static final String WORK_DIR_PROPERTY = "itest.work.dir";

    /** Start level of the logging and OSGi utility bundles: before everything that logs. */
    private static final int EARLY = 1;

    private ItestBundles() {
    }

    /**
     * @param artifactId a provided-scope dependency of the itests module
     * @return the option installing and starting it from {@code target/bundles}
     * @throws IllegalStateException when the jar is not there (the dependency is missing from the pom, or the
     *                               build did not run the {@code pre-integration-test} phase)
     */
    public static Option bundleOf(String artifactId) {
        return bundle(fileUrl(artifactId));
    }

    /**
     * @param artifactId a provided-scope dependency of the itests module
     * @return its {@code file:} URL in {@code target/bundles}
     */
    public static String fileUrl(String artifactId) {
        File jar = new File(bundlesDir(), artifactId + ".jar");
        if (!jar.isFile()) {
            throw new IllegalStateException("bundle " + jar + " not found: is '" + artifactId
                    + "' a provided dependency of itests/pom.xml, and did the build reach pre-integration-test?");
        }
        return jar.toURI().toString();
    }

    /**
     * The framework set-up every test class shares: its own Felix storage under {@code target/felix}, cleaned
     * before the first start, the JUnit bundles and readable logging.
     *
     * @param testClass the test class, naming its storage folder
     * @return the options
     */
    public static Option framework(Class<?> testClass) {
        File storage = new File(workDir(), testClass.getSimpleName());
        return composite(
                frameworkProperty("org.osgi.framework.storage").value(storage.getAbsolutePath()),
                frameworkProperty("org.osgi.framework.storage.clean").value("onFirstInit"),
                systemProperty("org.slf4j.simpleLogger.defaultLogLevel").value("info"),
                systemProperty("org.slf4j.simpleLogger.log.org.ops4j").value("warn"),
                systemProperty("org.slf4j.simpleLogger.showDateTime").value("true"),
                systemProperty("org.slf4j.simpleLogger.dateTimeFormat").value("HH:mm:ss.SSS"),
                systemProperty("org.slf4j.simpleLogger.showShortLogName").value("true"),
                junitBundles());
    }

    /** @return SLF4J (API and the simple binding), which the runtime and pax-exam's own bundles log through */
    public static Option logging() {
        return composite(
                bundle(fileUrl("slf4j-api")).startLevel(EARLY),
                bundle(fileUrl("slf4j-simple")).startLevel(EARLY));
    }

    /**
     * @return the OSGi services the runtime builds on: Declarative Services, Configuration Admin, Event Admin and
     *         Metatype
     */
    public static Option osgiServices() {
        return composite(declarativeServices(), configAdmin(), eventAdmin(), metatype());
    }

    /** @return Felix SCR with the specification bundles it needs */
    public static Option declarativeServices() {
        return composite(
                bundle(fileUrl("org.osgi.util.function")).startLevel(EARLY),
                bundle(fileUrl("org.osgi.util.promise")).startLevel(EARLY),
                bundle(fileUrl("org.osgi.service.component")).startLevel(EARLY),
                bundleOf("org.apache.felix.scr"));
    }

    /** @return Configuration Admin */
    public static Option configAdmin() {
        return bundleOf("org.apache.felix.configadmin");
    }

    /** @return Event Admin (optional for the runtime: without it, no events) */
    public static Option eventAdmin() {
        return bundleOf("org.apache.felix.eventadmin");
    }

    /** @return Metatype, with the Log API package it imports */
    public static Option metatype() {
        return composite(
                bundle(fileUrl("org.osgi.service.log")).startLevel(EARLY),
                bundleOf("org.apache.felix.metatype"));
    }

    /** @return the public API bundle */
    public static Option jobsApi() {
        return bundleOf("jobs-api");
    }

    /** @return the runtime bundle */
    public static Option jobsCore() {
        return bundleOf("jobs-core");
    }

    /** @return the in-process driver bundle */
    public static Option memoryDriver() {
        return bundleOf("driver-memory");
    }

    /** @return the local durable driver bundle (it embeds H2's MVStore) */
    public static Option localDriver() {
        return bundleOf("driver-local");
    }

    /** @return the RabbitMQ driver bundle (it embeds the RabbitMQ Java client) with Jackson, which it imports */
    public static Option amqpDriver() {
        return composite(jackson(), bundleOf("driver-amqp"));
    }

    /** @return the NATS driver bundle (it embeds the NATS Java client) with Jackson, which it imports */
    public static Option natsDriver() {
        return composite(jackson(), bundleOf("driver-nats"));
    }

    /** @return Jackson's annotations, core and databind bundles (driver-amqp, driver-nats and jobs-http import them) */
    public static Option jackson() {
        return composite(bundle(fileUrl("jackson-annotations")).startLevel(EARLY),
                bundle(fileUrl("jackson-core")).startLevel(EARLY), bundle(fileUrl("jackson-databind")).startLevel(EARLY));
    }

    /**
     * @return the JDBC driver bundle (it embeds HikariCP) with the OSGi JDBC service package and PostgreSQL's JDBC
     *         driver, which registers a {@code DataSourceFactory} when that package is there (so it comes first)
     */
    public static Option jdbcDriver() {
        return composite(bundleOf("org.osgi.service.jdbc"), bundleOf("postgresql"), bundleOf("driver-jdbc"));
    }

    /**
     * @return OSGi Transaction Control with local transactions (Apache Aries): the {@code TransactionControl} service
     *         and the JDBC resource provider (a {@code JDBCConnectionProvider} per configuration of the factory PID
     *         {@code org.apache.aries.tx.control.jdbc.local}); install before {@link #jdbcDriver()}, whose import of
     *         the Transaction Control packages is optional
     */
    public static Option transactionControl() {
        return composite(bundleOf("tx-control-service-local"), bundleOf("tx-control-provider-jdbc-local"));
    }

    /**
     * @return the OpenTelemetry API and SDK (the SDK for a test to build and register as the {@code OpenTelemetry}
     *         service), SPI Fly (the service-loader extender opentelemetry-common requires) with ASM, and
     *         {@code jobs-opentelemetry}
     */
    public static Option openTelemetry() {
        return composite(bundleOf("asm"), bundleOf("asm-tree"), bundleOf("asm-analysis"), bundleOf("asm-commons"),
                bundleOf("asm-util"), bundleOf("org.apache.aries.spifly.dynamic.bundle"),
                bundleOf("opentelemetry-common"), bundleOf("opentelemetry-context"), bundleOf("opentelemetry-api"),
                bundleOf("opentelemetry-sdk-common"), bundleOf("opentelemetry-sdk-trace"),
                bundleOf("opentelemetry-sdk-metrics"), bundleOf("opentelemetry-sdk-logs"),
                bundleOf("opentelemetry-sdk"), bundleOf("jobs-opentelemetry"));
    }

    /**
     * @return the tests' shared helpers ({@code org.osgijobs.testing}: Ledger, proxies, broker checks), which the
     *         probe imports; its RabbitMQ client import is optional, so install the client bundle before it where
     *         a test uses {@code RabbitMqClient}
     */
    public static Option testSupport() {
        return bundleOf("test-support");
    }

    /**
     * @return the logging, the OSGi services, the API and the runtime: what every runtime test starts with (add a
     *         driver)
     */
    public static Option runtime() {
        return composite(logging(), osgiServices(), jobsApi(), jobsCore());
    }

    private static File bundlesDir() {
        return new File(System.getProperty(BUNDLES_DIR_PROPERTY, "target/bundles"));
    }

    private static File workDir() {
        return new File(System.getProperty(WORK_DIR_PROPERTY, "target/felix"));
    }
}
