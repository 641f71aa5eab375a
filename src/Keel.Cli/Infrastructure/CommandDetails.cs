namespace Keel.Cli.Infrastructure;

/// <summary>
/// Paragraphs `--help` shows under a command's one-line description, by command path ("" is the root): what the
/// one line leaves out. Kept apart from the commands so their descriptions stay one sentence.
/// </summary>
internal static class CommandDetails
{
    public static readonly IReadOnlyDictionary<string, string[]> All = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        [""] =
        [
            "Keel runs the machine-learning loop end to end: version and validate data; train and track experiments with an MLflow-compatible API (MLflow clients and SDKs log to `keel server` unchanged); register models with versions and aliases; promote them through approval gates; serve them on endpoints with canary, A/B, shadow and blue-green rollouts that roll back on a breach; monitor traffic, drift and quality with alerts; and retrain with pipelines.",
            "Around the loop: a feature store (offline and online, Feast's names), governance (users, tokens, permissions, environments, four-eyes approvals, a tamper-evident audit log) and a web UI.",
            "New here? `keel quickstart` runs the whole loop on a sample data set; `keel ui` then shows what it made. Every command below has --help with examples.",
        ],
        ["roles"] =
        [
            "A principal is user:NAME or group:NAME; an environment is its name (dev, staging, prod, ...) or '*' for every one.",
        ],
        ["permissions"] =
        [
            "Levels: READ, EDIT, MANAGE and NO_PERMISSIONS, on one experiment (--experiment-id) or one registered model (--model).",
        ],
        ["users"] =
        [
            "The first admin is made without a server: `keel users create NAME --admin --data-dir DIR` on the server's data directory.",
        ],
        ["audit"] =
        [
            "verify checks the hash chain, log reads it, at tells which model versions served an endpoint at a moment and who approved them, export writes it as JSON Lines for an auditor.",
        ],
        ["alerts apply"] =
        [
            "Every rule in the file is checked before any is stored: one bad rule stores none, and the message names it.",
        ],
        ["features apply"] =
        [
            "Definitions the file no longer has are deleted. Changes that break a view a production endpoint reads are refused unless --force is given; a terminal is asked before applying, scripts are not (see --yes).",
        ],
        ["features plan"] =
        [
            "The plan shows, per definition, what would be created, updated, versioned or deleted, and which changes production endpoints would refuse.",
        ],
        ["features materialize"] =
        [
            "For each online view, the latest row per entity whose time falls in the window is written to the online store. Re-running a window changes nothing.",
        ],
        ["features materialize-incremental"] =
        [
            "Each view starts from its watermark less the overlap (default 1h, for late rows) and ends at --end (default now).",
        ],
        ["features get-historical"] =
        [
            "For each entity row, each view contributes its latest feature row at or before the row's time and within the view's TTL, so no feature comes from the future of its label.",
        ],
        ["pipelines apply"] =
        [
            "Cycles, unknown step types and type mismatches between steps are refused, naming the step.",
        ],
        ["pipelines run"] =
        [
            "A server, or a keel worker on the embedded store, runs the steps. With --wait on the embedded store, this process runs them itself.",
        ],
        ["pipelines plan"] =
        [
            "For each step that would run, the reason names the input, parameter or file that changed.",
        ],
        ["pipelines init"] =
        [
            "The template's steps: validate the dataset, train, gate the candidate against the champion, register it, canary it on the endpoint, and move the alias.",
        ],
        ["users create"] =
        [
            "With --data-dir the user is written straight into the data directory without a server: this is how the first admin is made.",
        ],
        ["audit verify"] =
        [
            "When a row was edited, removed or reordered, the message names the first broken link and the command fails.",
        ],
        ["worker"] =
        [
            "Job kinds: batch scoring parts, monitoring buckets and quality, pipeline steps, feature materialization. Ctrl-C or SIGTERM lets running jobs finish for up to --drain-seconds.",
        ],
        ["doctor"] =
        [
            "Each check says ok, warn or fail and, when not ok, what to do. Exits 0 when nothing failed (warnings allowed), 9 when a check failed. See docs/cli.md, \"keel doctor\".",
        ],
        ["completion"] =
        [
            "The script asks keel itself for the candidates at the cursor, so completion always follows the installed version's commands, options and values. See docs/cli.md, \"Help and completion\", to install it.",
        ],
    };
}
