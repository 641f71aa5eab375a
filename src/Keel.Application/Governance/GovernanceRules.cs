using System.Text.RegularExpressions;
using Keel.Core.Errors;
using Keel.Core.Governance;

namespace Keel.Application.Governance;

/// <summary>
/// The rules for names and values of the governance API, checked once here: a bad value is a 400
/// naming the field and the rule, and nothing is changed.
/// </summary>
public static partial class GovernanceRules
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinPasswordLength = 8;

    /// <summary>The longest password accepted (Argon2 hashes any length; this bounds the work one request can ask for).</summary>
    public const int MaxPasswordLength = 1024;

    /// <summary>The longest token lifetime, in days.</summary>
    public const int MaxTokenDays = 3650;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex UsernamePattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex GroupPattern();

    [GeneratedRegex(@"^([a-z0-9-]{1,64}|\*)$", RegexOptions.CultureInvariant)]
    private static partial Regex EnvironmentPattern();

    [GeneratedRegex(@"^[0-9]{1,19}$", RegexOptions.CultureInvariant)]
    private static partial Regex ExperimentIdPattern();

    /// <summary>A username: 1-128 letters, digits, '.', '_', '-', '@' or '+', starting with a letter or digit (an email address fits).</summary>
    public static string Username(string? value, string field = "username") =>
        Required(value, field) is var v && UsernamePattern().IsMatch(v)
            ? v
            : throw Invalid(field, value, "a username is 1-128 letters, digits, '.', '_', '-', '@' or '+', starting with a letter or digit");

    /// <summary>A new password: at least <see cref="MinPasswordLength"/> characters.</summary>
    public static string Password(string? value, string field = "password")
    {
        var v = Required(value, field);
        if (v.Length < MinPasswordLength)
        {
            throw KeelException.InvalidParameter($"Invalid value for parameter '{field}': a password needs at least {MinPasswordLength} characters.");
        }

        return v.Length > MaxPasswordLength
            ? throw KeelException.InvalidParameter($"Invalid value for parameter '{field}': a password has at most {MaxPasswordLength} characters.")
            : v;
    }

    /// <summary>A group name: 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit.</summary>
    public static string Group(string? value, string field = "group") =>
        Required(value, field) is var v && GroupPattern().IsMatch(v)
            ? v
            : throw Invalid(field, value, "a group name is 1-64 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit");

    /// <summary>A principal: <c>user:NAME</c> or <c>group:NAME</c>.</summary>
    public static string Principal(string? value, string field = "principal")
    {
        var v = Required(value, field);
        if (v.StartsWith("user:", StringComparison.Ordinal) && UsernamePattern().IsMatch(v[5..]))
        {
            return v;
        }

        return v.StartsWith("group:", StringComparison.Ordinal) && GroupPattern().IsMatch(v[6..])
            ? v
            : throw Invalid(field, value, "a principal is user:USERNAME or group:GROUP");
    }

    /// <summary>An environment name (lowercase letters, digits and '-', 1-64) or <c>*</c> for every environment.</summary>
    public static string Environment(string? value, string field = "environment") =>
        Required(value, field) is var v && EnvironmentPattern().IsMatch(v)
            ? v
            : throw Invalid(field, value, "an environment is 1-64 lowercase letters, digits or '-', or * for every environment");

    /// <summary>A role: viewer, editor, deployer or admin.</summary>
    public static EnvironmentRole Role(string? value, string field = "role") => Required(value, field) switch
    {
        "viewer" => EnvironmentRole.Viewer,
        "editor" => EnvironmentRole.Editor,
        "deployer" => EnvironmentRole.Deployer,
        "admin" => EnvironmentRole.Admin,
        _ => throw Invalid(field, value, "a role is viewer, editor, deployer or admin"),
    };

    /// <summary>The wire name of a role.</summary>
    public static string RoleName(EnvironmentRole role) => role switch
    {
        EnvironmentRole.Viewer => "viewer",
        EnvironmentRole.Editor => "editor",
        EnvironmentRole.Deployer => "deployer",
        EnvironmentRole.Admin => "admin",
        _ => "none",
    };

    /// <summary>One of MLflow's permission names, with MLflow's message for another.</summary>
    public static PermissionLevel Permission(string? value, string field = "permission") =>
        PermissionLevels.TryParse(Required(value, field), out var level)
            ? level.Value
            : throw KeelException.InvalidParameter(
                $"Invalid permission '{value}' for parameter '{field}'. Valid permissions are: ({string.Join(", ", PermissionLevels.Names.Select(n => $"'{n}'"))})");

    /// <summary>An experiment id: digits.</summary>
    public static string ExperimentId(string? value, string field = "experiment_id") =>
        Required(value, field) is var v && ExperimentIdPattern().IsMatch(v) ? v : throw Invalid(field, value, "an experiment id is a number");

    /// <summary>A registered model's name: not empty, at most 256 characters.</summary>
    public static string ModelName(string? value, string field = "name") =>
        Required(value, field) is var v && v.Length <= 256 && !v.Any(char.IsControl) ? v : throw Invalid(field, value, "a registered model name is 1-256 characters without control characters");

    /// <summary>A token's label: 1-64 characters without control characters.</summary>
    public static string TokenName(string? value, string field = "name") =>
        Required(value, field) is var v && v.Length <= 64 && !v.Any(char.IsControl) ? v : throw Invalid(field, value, "a token name is 1-64 characters without control characters");

    /// <summary>A token lifetime in days, 1-<see cref="MaxTokenDays"/>, or null for none.</summary>
    public static int? TokenDays(long? value, string field = "expires_in_days") =>
        value is null ? null
        : value is >= 1 and <= MaxTokenDays ? (int)value.Value
        : throw KeelException.InvalidParameter($"Invalid value '{value}' for parameter '{field}': a token lives 1-{MaxTokenDays} days (leave it out for no expiry).");

    /// <summary>A token id: the 12 characters after <c>keel_</c>.</summary>
    public static string TokenId(string? value, string field = "id") =>
        ApiTokens.IsId(Required(value, field)) ? value! : throw Invalid(field, value, "a token id is the 12 lowercase letters and digits after keel_");

    private static string Required(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw KeelException.MissingParameter(field) : value;

    private static KeelException Invalid(string field, string? value, string rule) =>
        KeelException.InvalidParameter($"Invalid value '{value}' for parameter '{field}': {rule}.");
}
