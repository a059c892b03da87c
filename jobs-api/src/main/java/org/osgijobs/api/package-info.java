/**
 * The producer and operator view of the job runtime: the {@link org.osgijobs.api.Jobs} service, the
 * {@link org.osgijobs.api.Message} a producer pushes, and the value types the runtime reports.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.osgijobs.api;
