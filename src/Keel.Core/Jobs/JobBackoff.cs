namespace Keel.Core.Jobs;

/// <summary>How long a failed job waits before its next attempt when the caller does not say.</summary>
public static class JobBackoff
{
    /// <summary>The wait after the first failure; it doubles with each further attempt.</summary>
    public static readonly TimeSpan Base = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromMinutes(5);

    /// <summary>The wait before the attempt after <paramref name="attempts"/> failed ones: 1 s, 2 s, 4 s, ... up to 5 minutes.</summary>
    /// <param name="attempts">Attempts made so far (at least 1).</param>
    public static TimeSpan After(int attempts)
    {
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var seconds = Base.TotalSeconds * Math.Pow(2, exponent);
        return TimeSpan.FromSeconds(Math.Min(seconds, Max.TotalSeconds));
    }
}
