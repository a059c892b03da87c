package org.osgijobs.api.driver;

/**
 * Who keeps a job after {@link Job#settle(Settlement)}: the answer a driver gives instead of throwing, so that the
 * runtime keeps a copy exactly when nobody else does. The runtime acts on {@link #RUNTIME} only (it keeps a copy
 * and pushes it into the pipeline's driver, now or once there is one); the other answers are for the record and
 * for tests. Values may be added in minor versions; the runtime treats an unknown one as {@link #RUNTIME}.
 */
public enum Custody {
    /** Nobody: the job was acknowledged or rejected, or it had been settled already (only the first call counts). */
    DONE,
    /** The driver stored it again as asked (new headers, delay): it comes back by itself. */
    DRIVER,
    /**
     * The broker keeps the original delivery, or gets it back, and delivers it again: a requeue the driver could not
     * store as asked (after {@link Driver#stop()}, or a republish that failed; its new headers and delay are then
     * lost), an ack whose channel is gone, a reject that the pipeline's options send back to the queue.
     */
    BROKER,
    /**
     * Nobody else can take it back: an in-process driver that stopped, or a broker driver that can neither store the
     * job again nor return the delivery (already acknowledged). The runtime must keep a copy.
     */
    RUNTIME
}
