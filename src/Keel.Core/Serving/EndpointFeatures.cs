namespace Keel.Core.Serving;

/// <summary>
/// Features an endpoint adds to each request row before the model sees it: read online by the
/// entity keys the row carries (the views' join keys, by column name), with the same TTL rule as
/// offline retrieval. Exactly one of <see cref="Service"/> and <see cref="Features"/> is set.
/// </summary>
/// <param name="Service">A feature service's name.</param>
/// <param name="Features">Features as <c>view:feature</c>.</param>
/// <param name="FullFeatureNames">Name the added columns <c>view__feature</c> instead of <c>feature</c>, as the training set was built.</param>
public sealed record EndpointFeatures(string? Service, IReadOnlyList<string>? Features, bool FullFeatureNames = false);
