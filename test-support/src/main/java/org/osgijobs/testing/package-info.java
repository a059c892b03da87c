/**
 * What the project's tests share, in unit tests (surefire), in pax-exam probes (this jar is also a bundle) and in
 * the launcher's process tests:
 * <ul>
 * <li>{@link org.osgijobs.testing.Ledger}: the job ids of a fault test by stage (pushed, accepted, refused, ran,
 * settled), with the assertions every fault test makes: none lost, at most a stated number of duplicates;</li>
 * <li>{@link org.osgijobs.testing.TcpProxy} and {@link org.osgijobs.testing.TlsTerminatingProxy} (with the
 * certificates of {@link org.osgijobs.testing.TlsFiles}): loopback proxies a test cuts or takes down;</li>
 * <li>{@link org.osgijobs.testing.RabbitMqBroker} (the test broker, JDK types only) and
 * {@link org.osgijobs.testing.RabbitMqClient} (the plain client's view of it: counting, purging, deleting);</li>
 * <li>{@link org.osgijobs.testing.ScriptedDriver}: a driver whose pushes and stop block, fail or complete when the
 * test says, with its {@link org.osgijobs.testing.ScriptedDriver.Factory} constructor;</li>
 * <li>{@link org.osgijobs.testing.Poll}: bounded waits for a condition.</li>
 * </ul>
 * Not part of the product: nothing outside the tests may depend on it.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.osgijobs.testing;
