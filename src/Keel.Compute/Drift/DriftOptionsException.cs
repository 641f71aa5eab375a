namespace Keel.Compute.Drift;

/// <summary>Drift options that break a rule; <see cref="Option"/> names the option (as the CLI spells it).</summary>
public sealed class DriftOptionsException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public DriftOptionsException(string option, string message)
        : base(message)
    {
        Option = option;
    }

    /// <summary>The option at fault, e.g. "method", "per-column", "threshold", "drift-share".</summary>
    public string Option { get; }
}
