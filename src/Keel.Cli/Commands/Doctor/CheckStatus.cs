namespace Keel.Cli.Commands.Doctor;

/// <summary>How one check of <c>keel doctor</c> came out, from best to worst.</summary>
internal enum CheckStatus
{
    /// <summary>Not run: nothing of its kind is configured.</summary>
    Skipped,

    /// <summary>Fine.</summary>
    Ok,

    /// <summary>Works, but something should be looked at (the exit code stays 0).</summary>
    Warn,

    /// <summary>Broken: Keel will not work like this (exit code 9).</summary>
    Fail,
}
