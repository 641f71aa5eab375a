using Keel.ML;

namespace Keel.Serving;

/// <summary>A loaded model behind a URI, with the version label answered in x-keel-model-version.</summary>
internal sealed record HostedModel(string ModelUri, string Version, IModel Model);
