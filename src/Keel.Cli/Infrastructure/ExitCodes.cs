namespace Keel.Cli.Infrastructure;

/// <summary>
/// The exit codes of <c>keel</c>, one per class of error, documented in docs/cli.md so scripts can
/// branch on them.
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>Something Keel did not expect (a bug); <c>--verbose</c> shows the details to report.</summary>
    public const int Internal = 1;

    /// <summary>The command line cannot be understood: an unknown command or option, a missing argument, a value of the wrong type, or a config file with unknown keys.</summary>
    public const int Usage = 2;

    /// <summary>What the command names does not exist (experiment, run, model, version, endpoint, dataset, file).</summary>
    public const int NotFound = 3;

    /// <summary>The change needs an approval: a request was stored and nothing changed yet.</summary>
    public const int PendingApproval = 4;

    /// <summary>The change conflicts with the current state: it already exists, or someone changed it first.</summary>
    public const int Conflict = 5;

    /// <summary>The input was read and refused by a rule (a bad value, an invalid definition file, data failing its checks).</summary>
    public const int ValidationFailed = 6;

    /// <summary>A server or store the command needs cannot be reached (tracking server, PostgreSQL, S3, Redis).</summary>
    public const int Unreachable = 7;

    /// <summary>Not signed in, or signed in without the permission the command needs.</summary>
    public const int PermissionDenied = 8;

    /// <summary>What the command checked or waited for failed: <c>keel doctor</c> or <c>keel audit verify</c> found a problem, a pipeline run or rollout waited for did not succeed.</summary>
    public const int ChecksFailed = 9;

    /// <summary>Interrupted by Ctrl-C (128 + SIGINT, as shells report it), or stopped at a confirmation prompt.</summary>
    public const int Interrupted = 130;
}
