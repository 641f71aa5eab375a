using Keel.Core.Configuration;

namespace Keel.Application.Alerts;

/// <summary>Settings of the alert evaluator and the webhook deliverer; <see cref="FromEnvironment"/> reads them from KEEL_ALERT_* and KEEL_WEBHOOK_*.</summary>
public sealed record AlertOptions
{
    /// <summary>Time between two evaluation passes (<see cref="KeelEnvironment.AlertIntervalSeconds"/>; default 30 s).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The server's signing secret (<see cref="KeelEnvironment.WebhookSecret"/>), or null.</summary>
    public string? WebhookSecret { get; init; }

    /// <summary>Attempts per event and webhook (<see cref="KeelEnvironment.WebhookMaxAttempts"/>; default 8).</summary>
    public int MaxAttempts { get; init; } = 8;

    /// <summary>Wait before the first retry; doubled each time (<see cref="KeelEnvironment.WebhookBackoffSeconds"/>; default 5 s).</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between two attempts (1 hour).</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How long one delivery may take before it counts as failed (10 s).</summary>
    public TimeSpan DeliveryTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the deliverer looks at the outbox when nothing wakes it (1 s).</summary>
    public TimeSpan DeliveryPoll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>This replica's name in the leases (default: host name and process id).</summary>
    public string ReplicaId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>The defaults, overridden by the environment; a bad value stops the caller naming the variable.</summary>
    public static AlertOptions FromEnvironment()
    {
        var o = new AlertOptions();
        return o with
        {
            Interval = KeelEnvironment.WholeNumber(KeelEnvironment.AlertIntervalSeconds, 1, 86_400) is { } s ? TimeSpan.FromSeconds(s) : o.Interval,
            WebhookSecret = KeelEnvironment.Text(KeelEnvironment.WebhookSecret),
            MaxAttempts = KeelEnvironment.WholeNumber(KeelEnvironment.WebhookMaxAttempts, 1, 100) ?? o.MaxAttempts,
            BackoffBase = KeelEnvironment.Number(KeelEnvironment.WebhookBackoffSeconds, 0.01, 3600) is { } b ? TimeSpan.FromSeconds(b) : o.BackoffBase,
        };
    }

    /// <summary>The wait after failed attempt <paramref name="attempt"/> (1-based): base × 2^(attempt-1), at most <see cref="MaxBackoff"/>.</summary>
    /// <param name="attempt">The attempt that failed.</param>
    public TimeSpan Backoff(int attempt) =>
        TimeSpan.FromTicks((long)Math.Min(MaxBackoff.Ticks, BackoffBase.Ticks * Math.Pow(2, Math.Max(0, attempt - 1))));
}
