namespace Keel.Core.Monitoring;

/// <summary>An alert rule to store, already validated and defaulted (see the application's rule validation).</summary>
/// <param name="Name">The rule's name, unique.</param>
/// <param name="Endpoint">The endpoint watched.</param>
/// <param name="Metric">The metric, canonical text.</param>
/// <param name="Window">The window, canonical text.</param>
/// <param name="Warning">The warning threshold, or null.</param>
/// <param name="Critical">The critical threshold, or null.</param>
/// <param name="Direction">Which side of a threshold breaches.</param>
/// <param name="MinSamples">Windows with fewer observations do not count.</param>
/// <param name="For">Counted windows in a row that must breach before firing.</param>
/// <param name="Webhooks">URLs each state change is posted to.</param>
/// <param name="Enabled">False: the evaluator skips the rule.</param>
/// <param name="Secret">The rule's own webhook signing secret, or null for the server's.</param>
public sealed record NewAlertRule(
    string Name,
    string Endpoint,
    string Metric,
    string Window,
    double? Warning,
    double? Critical,
    AlertDirection Direction,
    long MinSamples,
    int For,
    IReadOnlyList<string> Webhooks,
    bool Enabled,
    string? Secret);
