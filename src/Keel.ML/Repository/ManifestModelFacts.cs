using Keel.Application.Monitoring;

namespace Keel.ML.Repository;

/// <summary>Monitoring's facts about a model version, read from its MLmodel file (training dataset, task, label column and classes).</summary>
public sealed class ManifestModelFacts(ModelRepository models) : IModelFacts
{
    /// <inheritdoc/>
    public async Task<ModelFacts> ForVersionAsync(string modelName, string version, CancellationToken cancellationToken)
    {
        var manifest = await models.ReadManifestAsync($"models:/{modelName}/{version}", cancellationToken).ConfigureAwait(false);
        var flavor = manifest.MlNet;
        return new ModelFacts(manifest.Keel?.TrainingDataset, flavor?.Task, flavor?.LabelColumn, flavor?.LabelValues ?? []);
    }
}
