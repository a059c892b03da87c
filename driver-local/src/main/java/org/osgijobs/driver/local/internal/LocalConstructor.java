package org.osgijobs.driver.local.internal;

import java.nio.file.Path;
import java.util.concurrent.ScheduledThreadPoolExecutor;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgijobs.api.driver.Constructor;
import org.osgijobs.api.driver.Driver;
import org.osgijobs.api.driver.DriverContext;

/**
 * Registers the local durable driver kind ({@code driver.name=local}) and builds one {@link LocalDriver} per
 * pipeline, each on its own file. Files named by a relative {@code file} option, or by none, live in the data
 * folder: {@code ${jobs.home}/data/local} when the framework has a {@code jobs.home} property (the distribution),
 * else the folder {@code local} of this bundle's data area (kept across updates of the bundle, removed with it).
 * The drivers share one timer thread for delays; its tasks only move keys in memory and never block.
 */
@Component(service = Constructor.class, property = Constructor.DRIVER_NAME + "=" + LocalDriver.NAME)
public final class LocalConstructor implements Constructor {
    static final String HOME_PROPERTY = "jobs.home";

    private final Path dataFolder;
    private final ScheduledThreadPoolExecutor timer;

    /** @param context this bundle's context: where the data folder is */
    @Activate
    public LocalConstructor(BundleContext context) {
        this(dataFolder(context));
    }

    LocalConstructor(Path dataFolder) {
        this.dataFolder = dataFolder;
        this.timer = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "jobs-local-timer");
            thread.setDaemon(true);
            return thread;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    private static Path dataFolder(BundleContext context) {
        String home = context.getProperty(HOME_PROPERTY);
        if (home != null && !home.isBlank()) {
            return Path.of(home, "data", "local");
        }
        java.io.File area = context.getDataFile("local");
        return area != null ? area.toPath() : Path.of("data", "local");
    }

    @Deactivate
    void deactivate() {
        // the runtime stops this kind's pipelines when the service goes; their files keep every job
        timer.shutdownNow();
    }

    @Override
    public String name() {
        return LocalDriver.NAME;
    }

    @Override
    public Driver create(DriverContext context) {
        String pipeline = context.pipeline().name();
        LocalOptions options = LocalOptions.of(context.pipeline(), dataFolder);
        JobStore store = JobStore.open(pipeline, options.file());
        try {
            return new LocalDriver(pipeline, options, store, context.queue(), timer);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    Path dataFolder() {
        return dataFolder;
    }
}
