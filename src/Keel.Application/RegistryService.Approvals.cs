using System.Globalization;
using System.Text.Json.Nodes;
using Keel.Application.Governance;
using Keel.Core.Governance;

namespace Keel.Application;

// Moving or deleting an alias deploys (a server or a pipeline resolves models:/name@alias): the
// change passes the environment gate first, which may store a request for approval instead.
public sealed partial class RegistryService
{
    /// <summary>The environment gate alias moves pass; open (no approvals) unless the host sets it.</summary>
    public IChangeGate Gate { get; init; } = IChangeGate.Open;

    private async Task GateAliasAsync(string action, string model, string alias, long? version, string? actor, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(Gate, IChangeGate.Open))
        {
            return;
        }

        // Refuse a change that could never be made before anyone is asked to approve it.
        var target = version is { } v
            ? await _store.GetModelVersionAsync(model, v, cancellationToken).ConfigureAwait(false)
            : await _store.GetModelVersionByAliasAsync(model, alias, cancellationToken).ConfigureAwait(false);
        var request = new JsonObject { ["name"] = model, ["alias"] = alias };
        if (version is { } number)
        {
            request["version"] = number.ToString(CultureInfo.InvariantCulture);
        }

        await Gate.CheckAsync(
            new GatedChange(action, GovernedResource.ModelAlias, model + "@" + alias, null, request, actor, (target.Name, target.Version)),
            cancellationToken).ConfigureAwait(false);
    }
}
