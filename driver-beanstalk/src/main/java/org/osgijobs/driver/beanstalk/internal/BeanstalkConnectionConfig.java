package org.osgijobs.driver.beanstalk.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The beanstalkd server shared by all beanstalk pipelines: PID {@code jobs.beanstalk}, RoadRunner's {@code beanstalk} section. */
@ObjectClassDefinition(id = ConnectionSettings.PID, name = "OSGi Jobs beanstalkd connection",
        description = "The beanstalkd server the beanstalk pipelines use.")
@interface BeanstalkConnectionConfig {

    @AttributeDefinition(name = "Address", description = "tcp://host:11300")
    String addr() default ConnectionSettings.DEFAULT_ADDR;

    @AttributeDefinition(name = "Timeout", description = "The TTR (time to run) of every job put, in seconds (30, 30s,"
            + " 2m): a job reserved longer without being deleted, released or touched goes back to the tube. Jobs"
            + " that run longer are touched by the driver.")
    String timeout() default "30";
}
