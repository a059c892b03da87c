/**
 * The handler SPI: bundles register {@link org.osgijobs.api.handler.JobHandler} services with the property
 * {@code job.name} to execute jobs.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.osgijobs.api.handler;
