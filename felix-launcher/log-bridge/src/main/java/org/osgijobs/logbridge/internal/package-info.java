/** Forwards OSGi log entries to SLF4J. Not exported: the bridge is only a component. */
package org.osgijobs.logbridge.internal;
