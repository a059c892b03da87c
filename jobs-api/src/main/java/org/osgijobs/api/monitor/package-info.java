/**
 * Observing the runtime, for metrics and tracing: bundles register
 * {@link org.osgijobs.api.monitor.JobsObserver} services (whiteboard) and the runtime tells them of every push
 * and every run as it completes.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.osgijobs.api.monitor;
