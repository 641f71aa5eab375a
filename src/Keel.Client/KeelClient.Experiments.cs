using Keel.Client.Internal;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Keel.Core.Wire;

namespace Keel.Client;

// ITrackingStore: experiments.
public sealed partial class KeelClient
{
    /// <inheritdoc/>
    public async Task<string> CreateExperimentAsync(string name, string? artifactLocation, IReadOnlyList<Tag> tags, CancellationToken cancellationToken = default)
    {
        var request = new CreateExperimentRequest { Name = name, ArtifactLocation = artifactLocation, Tags = tags.ToDtos() };
        // Never retried: a retry after a lost answer would report RESOURCE_ALREADY_EXISTS for our own experiment.
        var response = await _transport.PostJsonAsync($"{Api}/experiments/create", request, WireJson.Default.CreateExperimentRequest, WireJson.Default.CreateExperimentResponse, retry: false, cancellationToken).ConfigureAwait(false);
        return response.ExperimentId ?? string.Empty;
    }

    /// <inheritdoc/>
    public async Task<Experiment> GetExperimentAsync(string experimentId, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync($"{Api}/experiments/get", [new("experiment_id", experimentId)], WireJson.Default.GetExperimentResponse, cancellationToken).ConfigureAwait(false);
        return (response.Experiment ?? new ExperimentDto()).ToDomain();
    }

    /// <inheritdoc/>
    public async Task<Experiment> GetExperimentByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync($"{Api}/experiments/get-by-name", [new("experiment_name", name)], WireJson.Default.GetExperimentResponse, cancellationToken).ConfigureAwait(false);
        return (response.Experiment ?? new ExperimentDto()).ToDomain();
    }

    /// <inheritdoc/>
    public async Task<Page<Experiment>> SearchExperimentsAsync(ExperimentQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var page = await SearchExperimentsCoreAsync(query.FilterText ?? SearchText.Format(query.Filter), query.OrderByText ?? SearchText.Format(query.OrderBy), query.ViewType, query.MaxResults, PageToken.ForOffset(query.Offset), cancellationToken).ConfigureAwait(false);
        return new Page<Experiment>(page.Items, page.NextPageToken is not null);
    }

    /// <inheritdoc/>
    public Task DeleteExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        PostEmptyAsync($"{Api}/experiments/delete", new ExperimentIdRequest { ExperimentId = experimentId }, WireJson.Default.ExperimentIdRequest, cancellationToken);

    /// <inheritdoc/>
    public Task RestoreExperimentAsync(string experimentId, CancellationToken cancellationToken = default) =>
        PostEmptyAsync($"{Api}/experiments/restore", new ExperimentIdRequest { ExperimentId = experimentId }, WireJson.Default.ExperimentIdRequest, cancellationToken);

    /// <inheritdoc/>
    public Task RenameExperimentAsync(string experimentId, string newName, CancellationToken cancellationToken = default) =>
        PostEmptyAsync($"{Api}/experiments/update", new UpdateExperimentRequest { ExperimentId = experimentId, NewName = newName }, WireJson.Default.UpdateExperimentRequest, cancellationToken);

    /// <inheritdoc/>
    public Task SetExperimentTagAsync(string experimentId, Tag tag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return PostEmptyAsync($"{Api}/experiments/set-experiment-tag", new SetExperimentTagRequest { ExperimentId = experimentId, Key = tag.Key, Value = tag.Value }, WireJson.Default.SetExperimentTagRequest, cancellationToken);
    }

    private async Task<PagedList<Experiment>> SearchExperimentsCoreAsync(string? filter, IReadOnlyList<string>? orderBy, ViewType viewType, long? maxResults, string? pageToken, CancellationToken cancellationToken)
    {
        var request = new SearchExperimentsRequest
        {
            Filter = string.IsNullOrEmpty(filter) ? null : filter,
            OrderBy = orderBy is { Count: > 0 } ? [.. orderBy] : null,
            ViewType = ViewTypeName(viewType),
            MaxResults = maxResults,
            PageToken = string.IsNullOrEmpty(pageToken) ? null : pageToken,
        };
        var response = await _transport.PostJsonAsync($"{Api}/experiments/search", request, WireJson.Default.SearchExperimentsRequest, WireJson.Default.SearchExperimentsResponse, retry: true, cancellationToken).ConfigureAwait(false);
        var items = response.Experiments?.Select(e => e.ToDomain()).ToList() ?? [];
        return new PagedList<Experiment>(items, string.IsNullOrEmpty(response.NextPageToken) ? null : response.NextPageToken);
    }

    private async Task PostEmptyAsync<TRequest>(string path, TRequest request, System.Text.Json.Serialization.Metadata.JsonTypeInfo<TRequest> requestType, CancellationToken cancellationToken, bool retry = true) =>
        await _transport.PostJsonAsync(path, request, requestType, WireJson.Default.EmptyResponse, retry, cancellationToken).ConfigureAwait(false);

    private static string ViewTypeName(ViewType viewType) => viewType switch
    {
        ViewType.DeletedOnly => "DELETED_ONLY",
        ViewType.All => "ALL",
        _ => "ACTIVE_ONLY",
    };
}
