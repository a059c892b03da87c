/**
 * The driver SPI: what a driver bundle implements to store and order jobs for the runtime. A driver bundle
 * registers a {@link org.osgijobs.api.driver.Constructor} service with the property {@code driver.name}; the
 * runtime builds one {@link org.osgijobs.api.driver.Driver} per pipeline from it and hands it the runtime's
 * {@link org.osgijobs.api.driver.Queue}, into which the driver inserts the {@link org.osgijobs.api.driver.Job}s
 * that are ready to run.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.osgijobs.api.driver;
