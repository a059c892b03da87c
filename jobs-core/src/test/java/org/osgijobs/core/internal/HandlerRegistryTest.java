package org.osgijobs.core.internal;

import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import java.util.Map;

import org.junit.Test;
import org.osgi.framework.Constants;
import org.osgijobs.api.handler.JobHandler;

public class HandlerRegistryTest {
    private final HandlerRegistry registry = new HandlerRegistry();

    private JobHandler register(Object names, int ranking, long id) {
        String label = names + "/" + id; // captured, so that every handler is a distinct object
        JobHandler handler = job -> job.header(label);
        registry.add(HandlerRegistry.registration(handler,
                Map.of(JobHandler.JOB_NAME, names, Constants.SERVICE_RANKING, ranking, Constants.SERVICE_ID, id)));
        return handler;
    }

    @Test
    public void highestRankingWinsThenLowestServiceId() {
        JobHandler low = register("mail", 0, 1L);
        JobHandler high = register("mail", 10, 2L);
        JobHandler sameRankLater = register("mail", 10, 3L);
        assertSame(high, registry.select("mail").handler());
        registry.remove(high);
        assertSame(sameRankLater, registry.select("mail").handler());
        registry.remove(sameRankLater);
        assertSame(low, registry.select("mail").handler());
    }

    @Test
    public void anExactNameBeatsTheWildcardWhichCatchesTheRest() {
        JobHandler any = register("*", 100, 1L);
        JobHandler mail = register(new String[] { "mail", "sms" }, 0, 2L);
        assertSame(mail, registry.select("mail").handler());
        assertSame(mail, registry.select("sms").handler());
        assertSame(any, registry.select("report").handler());
        registry.remove(any);
        assertNull(registry.select("report"));
    }
}
