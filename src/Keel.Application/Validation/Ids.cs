using System.Text.RegularExpressions;
using Keel.Core.Errors;

namespace Keel.Application.Validation;

/// <summary>Run and experiment id shapes (MLflow's <c>_RUN_ID_REGEX</c> and <c>_EXPERIMENT_ID_REGEX</c>).</summary>
internal static partial class Ids
{
    [GeneratedRegex(@"^[a-zA-Z0-9][\w\-]{0,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex RunId();

    [GeneratedRegex(@"^[a-zA-Z0-9][\w\-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ExperimentId();

    public static string RequireRunId(string? runId, string field = "run_id")
    {
        if (string.IsNullOrEmpty(runId))
        {
            throw KeelException.MissingParameter(field);
        }

        if (!RunId().IsMatch(runId))
        {
            throw KeelException.InvalidParameter($"Invalid run ID: '{runId}'");
        }

        return runId;
    }

    public static string RequireExperimentId(string? experimentId, string field = "experiment_id")
    {
        if (string.IsNullOrEmpty(experimentId))
        {
            throw KeelException.MissingParameter(field);
        }

        CheckExperimentId(experimentId);
        return experimentId;
    }

    public static void CheckExperimentId(string experimentId)
    {
        if (!ExperimentId().IsMatch(experimentId))
        {
            throw KeelException.InvalidParameter($"Invalid experiment ID: '{experimentId}'");
        }
    }

    public static string Require(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw KeelException.MissingParameter(field) : value;
}
