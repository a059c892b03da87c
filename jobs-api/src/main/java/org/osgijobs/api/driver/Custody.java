package org.osgijobs.api.driver;

/**
 * Who keeps a job after {@link Job#settle(Settlement)}: the answer a driver gives instead of throwing, so that the
 * runtime keeps a copy exactly when nobody else does. Values may be added in minor versions; the runtime treats an
 * unknown one as {@link #RUNTIME}.
 */
public enum Custody {
    /** Nobody: the job was acknowledged or rejected, or it had been settled already (only the first call counts). */
    DONE,
    /** The driver stored it again as asked (new headers, delay): it comes back by itself. */
    DRIVER,
    /**
     * The broker keeps the original delivery and delivers it again (the driver could not store the changed job, for
     * example after {@link Driver#stop()}); the requeue's new headers and delay are lost.
     */
    BROKER,
    /** Nobody else can take it back (an in-process driver that stopped): the runtime must keep a copy. */
    RUNTIME
}
