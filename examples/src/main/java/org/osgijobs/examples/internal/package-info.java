/**
 * Example job handlers for trying the runtime: {@code log} prints what it got, {@code sleep} takes its time and
 * {@code fail} fails so that retries and dead letters can be watched. Not exported: they are only services.
 */
package org.osgijobs.examples.internal;
