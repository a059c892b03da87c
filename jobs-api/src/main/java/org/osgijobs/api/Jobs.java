package org.osgijobs.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The job runtime's service for code that both produces jobs and manages pipelines: {@link JobProducer} and
 * {@link PipelineAdmin} in one. The runtime registers the same object under all three interfaces; ask for the
 * narrower one where that is all a bundle needs.
 */
@ProviderType
public interface Jobs extends JobProducer, PipelineAdmin {
}
