/** The OpenTelemetry tracer: private, no API of its own (it is a JobsTracer). */
package org.osgijobs.opentelemetry.internal;
