package org.osgijobs.api.driver;

import org.osgi.annotation.versioning.ConsumerType;

/** Something the runtime's {@link Queue} orders. */
@ConsumerType
public interface Item {

    /** @return the job's id */
    String id();

    /** @return the pipeline's name: the group the item belongs to */
    String groupId();

    /** @return the effective priority, lower first */
    long priority();
}
