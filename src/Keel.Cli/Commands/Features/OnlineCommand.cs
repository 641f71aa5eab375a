using System.CommandLine;
using System.Globalization;
using Keel.Application.Features;
using Keel.Cli.Infrastructure;
using Keel.Client;
using Keel.Core.Errors;
using Keel.Core.Wire;
using Keel.Hosting;
using Spectre.Console;

namespace Keel.Cli.Commands.Features;

/// <summary>
/// <c>keel features online --features view:f,... | --feature-service S --entity driver_id=1001,1002 [--full-feature-names]</c>:
/// reads online features, through a server or on the embedded stores.
/// </summary>
internal static class OnlineCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var features = new Option<string?>("--features") { Description = "Comma-separated view:feature references." };
        var service = new Option<string?>("--feature-service") { Description = "A feature service's name, instead of --features." };
        var entity = new Option<string[]>("--entity") { Description = "A join key and its values, one per entity row: driver_id=1001,1002 (repeat for each join key).", AllowMultipleArgumentsPerToken = false };
        var full = new Option<bool>("--full-feature-names") { Description = "Name features view__feature." };
        var onlineStore = new Option<string?>("--online-store") { Description = "On the embedded stores: sqlite:///path or redis://host:port[/db]. Default: KEEL_ONLINE_STORE, else online.db in the data directory." };
        var command = new Command("online", "Read online features for entity rows, with the TTL rule: a value older than its view's ttl is EXPIRED.") { features, service, entity, full, onlineStore };
        store.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var refs = result.GetValue(features)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var entities = ParseEntities(result.GetValue(entity) ?? []);
            await using var session = await store.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            OnlineFeaturesResponse response;
            if (session.Store is KeelClient client)
            {
                response = await client.GetOnlineFeaturesAsync(refs, result.GetValue(service), entities, result.GetValue(full), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await using var online = await OnlineStoreBackend.OpenAsync(result.GetValue(onlineStore), session.DataDir).ConfigureAwait(false);
                var reader = new OnlineFeatureService(FeatureHosting.Registry(session.Backend!), online);
                var read = await reader.GetOnlineFeaturesAsync(refs, result.GetValue(service), entities, result.GetValue(full), null, cancellationToken).ConfigureAwait(false);
                response = OnlineFeatureWire.ToResponse(read, entities);
            }

            if (result.GetValue(store.Output) == OutputFormat.Json)
            {
                WireOutput.Write(response, OnlineFeatureJson.Default.OnlineFeaturesResponse);
                return 0;
            }

            var names = response.Metadata?.FeatureNames ?? [];
            var vectors = response.Results ?? [];
            var table = new CliTable([.. names.Select(n => CliColumn.Short(Markup.Escape(n)))]);
            var rows = vectors.Count > 0 ? vectors[0].Values?.Count ?? 0 : 0;
            for (var r = 0; r < rows; r++)
            {
                table.AddRow([.. vectors.Select(v => Cell(v, r))]);
            }

            table.Write();
            return 0;
        });
        return command;
    }

    /// <summary>Parses <c>key=v1,v2</c> options into columns; integers stay integers so 1001 finds the entity stored as 1001.</summary>
    internal static Dictionary<string, IReadOnlyList<object?>> ParseEntities(IReadOnlyList<string> options)
    {
        var entities = new Dictionary<string, IReadOnlyList<object?>>(StringComparer.Ordinal);
        foreach (var option in options)
        {
            var eq = option.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw KeelException.InvalidParameter($"Invalid --entity '{option}': expected join_key=value,value,... such as driver_id=1001,1002.");
            }

            var key = option[..eq].Trim();
            entities[key] = [.. option[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries).Select(v =>
                long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) ? (object?)l : v)];
        }

        if (entities.Count == 0)
        {
            throw KeelException.InvalidParameter("Give the entity rows with --entity join_key=value,value,... (one --entity per join key).");
        }

        return entities;
    }

    private static string Cell(OnlineFeatureVector vector, int row)
    {
        var status = vector.Statuses is { } s && row < s.Count ? s[row] : "PRESENT";
        var value = vector.Values is { } v && row < v.Count ? v[row].ToString() : string.Empty;
        return status == "PRESENT" ? Markup.Escape(value) : $"[grey]{Markup.Escape(status.ToLowerInvariant())}[/]";
    }
}
