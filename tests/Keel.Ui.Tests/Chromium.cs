using Xunit;

namespace Keel.Ui.Tests;

/// <summary>
/// Debian's Chromium, which Playwright drives (never a browser Playwright downloads).
/// <c>KEEL_TEST_CHROMIUM</c> names it (.ci/run installs it with apt and sets it); without that
/// variable the suite runs when <c>/usr/bin/chromium</c> exists and is skipped otherwise, so
/// <c>dotnet test</c> works on a machine with no browser. On CI the variable is set, so a missing
/// browser fails loudly instead of skipping.
/// </summary>
public static class Chromium
{
    public static string Path => Environment.GetEnvironmentVariable("KEEL_TEST_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    public static bool Available => File.Exists(Path);

    public static string? SkipReason =>
        Available ? null
        : Environment.GetEnvironmentVariable("KEEL_TEST_CHROMIUM") is { Length: > 0 } ? null // configured but missing: let the launch fail and say so
        : $"No Chromium at {Path}: install it (apt-get install chromium) or set KEEL_TEST_CHROMIUM.";
}

/// <summary>A UI test: skipped with the reason when no Chromium is present and none is required.</summary>
public sealed class UiFactAttribute : FactAttribute
{
    public UiFactAttribute()
    {
        if (Chromium.SkipReason is { } reason)
        {
            Skip = reason;
        }
    }
}
