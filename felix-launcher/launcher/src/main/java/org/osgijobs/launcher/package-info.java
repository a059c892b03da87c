/**
 * The distribution's entry point: it lays out the home folder, starts Apache Felix with the bundles of
 * {@code bundle/}, offers the Gogo console or runs command scripts, and stops the framework gracefully.
 * It runs on the application class path, outside the framework, and reaches services in it reflectively so that
 * no package has to be shared with the bundles.
 */
package org.osgijobs.launcher;
