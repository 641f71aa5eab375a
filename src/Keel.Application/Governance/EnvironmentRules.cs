using System.Globalization;
using System.Text.RegularExpressions;
using Keel.Application.Validation;
using Keel.Core.Errors;
using Keel.Core.Governance;

namespace Keel.Application.Governance;

/// <summary>The rules for environment names, resource kinds, assignments and approval arguments, checked once here.</summary>
public static partial class EnvironmentRules
{
    /// <summary>The longest approval TTL: one year.</summary>
    public const long MaxTtlHours = 24 * 366;

    /// <summary>The kinds' wire names, in order.</summary>
    public static readonly string[] KindNames = ["endpoint", "model_alias", "pipeline", "dataset"];

    /// <summary>A valid environment name: lowercase letters, digits, '-' and '_', starting with a letter, at most 63.</summary>
    public static string Environment(string? name, string field = "environment")
    {
        var value = Ids.Require(name, field);
        return EnvironmentName().IsMatch(value)
            ? value
            : throw KeelException.InvalidParameter($"Invalid value '{value}' for parameter '{field}': an environment name is 1-63 lowercase letters, digits, '-' or '_', starting with a letter.");
    }

    /// <summary>The kind of a wire name (<c>endpoint</c>, <c>model_alias</c> or <c>alias</c>, <c>pipeline</c>, <c>dataset</c>).</summary>
    public static GovernedResource Kind(string? name) => Ids.Require(name, "kind") switch
    {
        "endpoint" => GovernedResource.Endpoint,
        "model_alias" or "alias" => GovernedResource.ModelAlias,
        "pipeline" => GovernedResource.Pipeline,
        "dataset" => GovernedResource.Dataset,
        var other => throw KeelException.InvalidParameter($"Invalid value '{other}' for parameter 'kind': expected one of {string.Join(", ", KindNames)}."),
    };

    /// <summary>The wire name of a kind.</summary>
    public static string KindName(GovernedResource kind) => KindNames[(int)kind];

    /// <summary>A resource name of its kind: aliases as <c>MODEL@ALIAS</c> or <c>*@ALIAS</c>; other kinds a plain name.</summary>
    public static string Resource(GovernedResource kind, string? resource)
    {
        var value = Ids.Require(resource, "resource");
        if (kind != GovernedResource.ModelAlias)
        {
            return value.Contains('@', StringComparison.Ordinal) || value.Length > 256
                ? throw KeelException.InvalidParameter($"Invalid value '{value}' for parameter 'resource': a {KindName(kind)} is named by its plain name (no '@', at most 256 characters).")
                : value;
        }

        var at = value.LastIndexOf('@');
        if (at <= 0 || at == value.Length - 1)
        {
            throw KeelException.InvalidParameter($"Invalid value '{value}' for parameter 'resource': a model alias is MODEL@ALIAS, or *@ALIAS for that alias on every model.");
        }

        var model = value[..at];
        if (model != "*")
        {
            RegistryRules.RequireName(model);
        }

        RegistryRules.RequireAlias(value[(at + 1)..]);
        return value;
    }

    /// <summary>The approval TTL in seconds from hours: 1 to <see cref="MaxTtlHours"/>; the default when null.</summary>
    public static long TtlSeconds(double? hours, long current)
    {
        if (hours is not { } h)
        {
            return current;
        }

        return double.IsFinite(h) && h > 0 && h <= MaxTtlHours
            ? (long)Math.Round(h * 3600)
            : throw KeelException.InvalidParameter(string.Create(CultureInfo.InvariantCulture, $"Invalid value {h} for parameter 'approval_ttl_hours': it must be more than 0 and at most {MaxTtlHours}."));
    }

    /// <summary>An approval's number from its wire form.</summary>
    public static long ApprovalId(string? id)
    {
        var value = Ids.Require(id, "id");
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw KeelException.InvalidParameter($"Invalid value '{value}' for parameter 'id': an approval id is a positive whole number.");
    }

    /// <summary>An approval state filter, or null.</summary>
    public static ApprovalState? State(string? state) =>
        string.IsNullOrEmpty(state) ? null
        : ApprovalTransitions.Parse(state) ?? throw KeelException.InvalidParameter($"Invalid value '{state}' for parameter 'state': expected one of requested, approved, rejected, expired, applied, failed.");

    /// <summary>An action name: <c>area.verb</c> of lowercase letters, digits, '_' and '.', at most 100.</summary>
    public static string Action(string? action)
    {
        var value = Ids.Require(action, "action");
        return ActionName().IsMatch(value)
            ? value
            : throw KeelException.InvalidParameter($"Invalid value '{value}' for parameter 'action': an action is dotted lowercase words, e.g. registered_model.alias.set (at most 100 characters).");
    }

    /// <summary>An optional comment or reason: at most 4000 characters.</summary>
    public static string? Comment(string? comment, string field)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            return null;
        }

        return comment.Length <= 4000 ? comment : throw KeelException.InvalidParameter($"Invalid value for parameter '{field}': at most 4000 characters.");
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,62}$")]
    private static partial Regex EnvironmentName();

    [GeneratedRegex("^[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+$")]
    private static partial Regex ActionName();
}
