package org.osgijobs.launcher;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The process's own standard streams, taken before the framework starts.
 *
 * <p>Gogo's runtime replaces {@code System.in}, {@code System.out} and {@code System.err} when it starts with
 * streams that forward each write to whatever streams the writing thread's command session set (threads a
 * session's thread creates inherit that choice). A script session opened on those replaced streams forwards to
 * itself: the first write on its thread, or on a thread created from it, such as a log line of a DS callback run
 * by {@code update}, loops until the stack overflows. The script session is therefore opened on these.
 *
 * @param in  standard input
 * @param out standard output: command echoes and results
 * @param err standard error, already copied to {@code log/jobs.log}: the log
 */
record ProcessStreams(InputStream in, PrintStream out, PrintStream err) {
}
