namespace Keel.Core.Monitoring;

/// <summary>An alert rule as stored: what to watch on an endpoint, when it breaches, and whom to tell.</summary>
/// <param name="Name">The rule's name, unique.</param>
/// <param name="Endpoint">The endpoint watched.</param>
/// <param name="Metric">The metric, as <see cref="MonitoringMetric"/> writes it.</param>
/// <param name="Window">The window size, as <see cref="MonitoringWindow"/> writes it.</param>
/// <param name="Warning">The warning threshold, or null.</param>
/// <param name="Critical">The critical threshold, or null (at least one of the two is set).</param>
/// <param name="Direction">Which side of a threshold breaches.</param>
/// <param name="MinSamples">Windows with fewer observations do not count.</param>
/// <param name="For">How many counted windows in a row must breach before the alert fires.</param>
/// <param name="Webhooks">URLs each state change is posted to.</param>
/// <param name="Enabled">False: the evaluator skips the rule.</param>
/// <param name="HasSecret">True when the rule signs its webhooks with a secret of its own (never shown).</param>
/// <param name="Version">Raised by every change; updates name the version they were made from.</param>
/// <param name="CreatedAt">When, in Unix milliseconds.</param>
/// <param name="UpdatedAt">Last change, in Unix milliseconds.</param>
/// <param name="UpdatedBy">Who made the last change, when known.</param>
public sealed record AlertRule(
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
    bool HasSecret,
    long Version,
    long CreatedAt,
    long UpdatedAt,
    string? UpdatedBy);
