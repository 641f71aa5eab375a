using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Keel.Core.Registry;
using Keel.Core.Search;
using Keel.Core.Tracking;
using Keel.Core.Wire;

namespace Keel.Client;

// IModelRegistryStore over MLflow's model-registry REST API (GET reads, PATCH updates, DELETE with bodies).
public sealed partial class KeelClient
{
    private const string Models = Api + "/registered-models";
    private const string Versions = Api + "/model-versions";

    /// <inheritdoc/>
    public async Task<RegisteredModel> CreateRegisteredModelAsync(string name, IReadOnlyList<Tag> tags, string? description, string? actor, CancellationToken cancellationToken = default)
    {
        var request = new CreateRegisteredModelRequest { Name = name, Tags = tags.ToDtos(), Description = description };
        // Never retried: a retry after a lost answer would report our own model as already existing.
        var response = await SendAsync(HttpMethod.Post, $"{Models}/create", request, WireJson.Default.CreateRegisteredModelRequest, WireJson.Default.RegisteredModelResponse, actor, cancellationToken, retry: false).ConfigureAwait(false);
        return (response.RegisteredModel ?? new RegisteredModelDto()).ToDomain();
    }

    /// <inheritdoc/>
    public async Task<RegisteredModel> GetRegisteredModelAsync(string name, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync($"{Models}/get", [new("name", name)], WireJson.Default.RegisteredModelResponse, cancellationToken).ConfigureAwait(false);
        return (response.RegisteredModel ?? new RegisteredModelDto()).ToDomain();
    }

    /// <inheritdoc/>
    public async Task<RegisteredModel> RenameRegisteredModelAsync(string name, string newName, string? actor, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(HttpMethod.Post, $"{Models}/rename", new RenameRegisteredModelRequest { Name = name, NewName = newName }, WireJson.Default.RenameRegisteredModelRequest, WireJson.Default.RegisteredModelResponse, actor, cancellationToken, retry: false).ConfigureAwait(false);
        return (response.RegisteredModel ?? new RegisteredModelDto()).ToDomain();
    }

    /// <inheritdoc/>
    public async Task<RegisteredModel> UpdateRegisteredModelAsync(string name, string? description, string? actor, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(HttpMethod.Patch, $"{Models}/update", new RegisteredModelNameRequest { Name = name, Description = description }, WireJson.Default.RegisteredModelNameRequest, WireJson.Default.RegisteredModelResponse, actor, cancellationToken).ConfigureAwait(false);
        return (response.RegisteredModel ?? new RegisteredModelDto()).ToDomain();
    }

    /// <inheritdoc/>
    public Task DeleteRegisteredModelAsync(string name, string? actor, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"{Models}/delete", new RegisteredModelNameRequest { Name = name }, WireJson.Default.RegisteredModelNameRequest, WireJson.Default.EmptyResponse, actor, cancellationToken, retry: false);

    /// <inheritdoc/>
    public async Task<Page<RegisteredModel>> SearchRegisteredModelsAsync(RegisteredModelQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var args = SearchArgs(query.FilterText ?? SearchText.Format(query.Filter), query.OrderByText ?? SearchText.Format(query.OrderBy), query.MaxResults, query.Offset);
        var response = await _transport.GetJsonAsync($"{Models}/search", args, WireJson.Default.SearchRegisteredModelsResponse, cancellationToken).ConfigureAwait(false);
        var items = response.RegisteredModels?.Select(m => m.ToDomain()).ToList() ?? [];
        return new Page<RegisteredModel>(items, !string.IsNullOrEmpty(response.NextPageToken));
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(string name, IReadOnlyList<ModelStage> stages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var args = new List<KeyValuePair<string, string?>> { new("name", name) };
        args.AddRange(stages.Select(s => new KeyValuePair<string, string?>("stages", s.ToWire())));
        var response = await _transport.GetJsonAsync($"{Models}/get-latest-versions", args, WireJson.Default.ModelVersionsResponse, cancellationToken).ConfigureAwait(false);
        return response.ModelVersions?.Select(v => v.ToDomain()).ToList() ?? [];
    }

    /// <inheritdoc/>
    public Task SetRegisteredModelTagAsync(string name, Tag tag, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return SendAsync(HttpMethod.Post, $"{Models}/set-tag", new RegisteredModelTagRequest { Name = name, Key = tag.Key, Value = tag.Value }, WireJson.Default.RegisteredModelTagRequest, WireJson.Default.EmptyResponse, actor, cancellationToken);
    }

    /// <inheritdoc/>
    public Task DeleteRegisteredModelTagAsync(string name, string key, string? actor, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"{Models}/delete-tag", new RegisteredModelTagRequest { Name = name, Key = key }, WireJson.Default.RegisteredModelTagRequest, WireJson.Default.EmptyResponse, actor, cancellationToken);

    /// <inheritdoc/>
    public Task SetAliasAsync(string name, string alias, long version, string? actor, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"{Models}/alias", new AliasRequest { Name = name, Alias = alias, Version = Text(version) }, WireJson.Default.AliasRequest, WireJson.Default.EmptyResponse, actor, cancellationToken);

    /// <inheritdoc/>
    public Task DeleteAliasAsync(string name, string alias, string? actor, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"{Models}/alias", new AliasRequest { Name = name, Alias = alias }, WireJson.Default.AliasRequest, WireJson.Default.EmptyResponse, actor, cancellationToken);

    /// <inheritdoc/>
    public async Task<ModelVersion> GetModelVersionByAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync($"{Models}/alias", [new("name", name), new("alias", alias)], WireJson.Default.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return (response.ModelVersion ?? new ModelVersionDto()).ToDomain();
    }

    /// <inheritdoc/>
    public async Task<ModelVersion> CreateModelVersionAsync(NewModelVersion version, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        var request = new CreateModelVersionRequest
        {
            Name = version.Name,
            Source = version.Source,
            RunId = version.RunId,
            Tags = version.Tags.ToDtos(),
            RunLink = version.RunLink,
            Description = version.Description,
        };
        // Never retried: each call numbers a new version.
        var response = await SendAsync(HttpMethod.Post, $"{Versions}/create", request, WireJson.Default.CreateModelVersionRequest, WireJson.Default.ModelVersionResponse, actor ?? version.UserId, cancellationToken, retry: false).ConfigureAwait(false);
        return (response.ModelVersion ?? new ModelVersionDto()).ToDomain();
    }

    /// <inheritdoc/>
    public async Task<ModelVersion> GetModelVersionAsync(string name, long version, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync($"{Versions}/get", [new("name", name), new("version", Text(version))], WireJson.Default.ModelVersionResponse, cancellationToken).ConfigureAwait(false);
        return (response.ModelVersion ?? new ModelVersionDto()).ToDomain();
    }

    /// <inheritdoc/>
    public async Task<ModelVersion> UpdateModelVersionAsync(string name, long version, string? description, string? actor, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(HttpMethod.Patch, $"{Versions}/update", new ModelVersionRequest { Name = name, Version = Text(version), Description = description }, WireJson.Default.ModelVersionRequest, WireJson.Default.ModelVersionResponse, actor, cancellationToken).ConfigureAwait(false);
        return (response.ModelVersion ?? new ModelVersionDto()).ToDomain();
    }

    /// <inheritdoc/>
    public Task DeleteModelVersionAsync(string name, long version, string? actor, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"{Versions}/delete", new ModelVersionRequest { Name = name, Version = Text(version) }, WireJson.Default.ModelVersionRequest, WireJson.Default.EmptyResponse, actor, cancellationToken, retry: false);

    /// <inheritdoc/>
    public async Task<Page<ModelVersion>> SearchModelVersionsAsync(ModelVersionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var args = SearchArgs(query.FilterText ?? SearchText.Format(query.Filter), query.OrderByText ?? SearchText.Format(query.OrderBy), query.MaxResults, query.Offset);
        var response = await _transport.GetJsonAsync($"{Versions}/search", args, WireJson.Default.ModelVersionsResponse, cancellationToken).ConfigureAwait(false);
        var items = response.ModelVersions?.Select(v => v.ToDomain()).ToList() ?? [];
        return new Page<ModelVersion>(items, !string.IsNullOrEmpty(response.NextPageToken));
    }

    /// <inheritdoc/>
    public async Task<ModelVersion> TransitionStageAsync(string name, long version, ModelStage stage, bool archiveExistingVersions, string? actor, CancellationToken cancellationToken = default)
    {
        var request = new TransitionModelVersionStageRequest { Name = name, Version = Text(version), Stage = stage.ToWire(), ArchiveExistingVersions = archiveExistingVersions };
        var response = await SendAsync(HttpMethod.Post, $"{Versions}/transition-stage", request, WireJson.Default.TransitionModelVersionStageRequest, WireJson.Default.ModelVersionResponse, actor, cancellationToken).ConfigureAwait(false);
        return (response.ModelVersion ?? new ModelVersionDto()).ToDomain();
    }

    /// <inheritdoc/>
    public Task SetModelVersionTagAsync(string name, long version, Tag tag, string? actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return SendAsync(HttpMethod.Post, $"{Versions}/set-tag", new ModelVersionTagRequest { Name = name, Version = Text(version), Key = tag.Key, Value = tag.Value }, WireJson.Default.ModelVersionTagRequest, WireJson.Default.EmptyResponse, actor, cancellationToken);
    }

    /// <inheritdoc/>
    public Task DeleteModelVersionTagAsync(string name, long version, string key, string? actor, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Delete, $"{Versions}/delete-tag", new ModelVersionTagRequest { Name = name, Version = Text(version), Key = key }, WireJson.Default.ModelVersionTagRequest, WireJson.Default.EmptyResponse, actor, cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<RegistryEvent>> ListEventsAsync(string? name, int maxResults, CancellationToken cancellationToken = default)
    {
        var response = await _transport.GetJsonAsync("/api/2.0/keel/registry/events", [new("name", name), new("max_results", Text(maxResults))], WireJson.Default.RegistryEventsResponse, cancellationToken).ConfigureAwait(false);
        return response.Events?.Select(e => e.ToDomain()).ToList() ?? [];
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static List<KeyValuePair<string, string?>> SearchArgs(string? filter, IReadOnlyList<string> orderBy, int maxResults, int offset)
    {
        var args = new List<KeyValuePair<string, string?>>
        {
            new("filter", string.IsNullOrEmpty(filter) ? null : filter),
            new("max_results", Text(maxResults)),
            new("page_token", PageToken.ForOffset(offset)),
        };
        args.AddRange(orderBy.Select(o => new KeyValuePair<string, string?>("order_by", o)));
        return args;
    }

    private async Task<TResponse> SendAsync<TRequest, TResponse>(HttpMethod method, string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, string? actor, CancellationToken cancellationToken, bool retry = true)
        where TResponse : new() =>
        await _transport.SendJsonAsync(method, path, body, requestType, responseType, retry, actor, cancellationToken).ConfigureAwait(false);
}
