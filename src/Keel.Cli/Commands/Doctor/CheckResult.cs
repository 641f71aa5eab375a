namespace Keel.Cli.Commands.Doctor;

/// <summary>
/// One check's outcome: a status, one line saying what was found and, for a warning or a failure,
/// one line saying exactly what to do; <see cref="Details"/> carries the figures for <c>-o json</c>.
/// </summary>
internal sealed record CheckResult(string Name, CheckStatus Status, string Finding, string? Fix, IReadOnlyDictionary<string, object?> Details)
{
    public static CheckResult Ok(string name, string finding, IReadOnlyDictionary<string, object?>? details = null) =>
        new(name, CheckStatus.Ok, finding, null, details ?? new Dictionary<string, object?>());

    public static CheckResult Skipped(string name, string finding, IReadOnlyDictionary<string, object?>? details = null) =>
        new(name, CheckStatus.Skipped, finding, null, details ?? new Dictionary<string, object?>());

    public static CheckResult Warn(string name, string finding, string fix, IReadOnlyDictionary<string, object?>? details = null) =>
        new(name, CheckStatus.Warn, finding, fix, details ?? new Dictionary<string, object?>());

    public static CheckResult Fail(string name, string finding, string fix, IReadOnlyDictionary<string, object?>? details = null) =>
        new(name, CheckStatus.Fail, finding, fix, details ?? new Dictionary<string, object?>());
}
