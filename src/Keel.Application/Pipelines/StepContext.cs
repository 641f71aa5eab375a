using System.Text.Json;
using Keel.Core.Pipelines.Definition;

namespace Keel.Application.Pipelines;

/// <summary>Everything a step type gets to run one step.</summary>
/// <param name="RunId">The pipeline run.</param>
/// <param name="Pipeline">The pipeline's name.</param>
/// <param name="Step">The step as defined.</param>
/// <param name="Params">The step's parameters with <c>${params.…}</c> templates filled in.</param>
/// <param name="Inputs">The step's inputs resolved to immutable values (upstream outputs, pinned URIs).</param>
/// <param name="Parameters">The run's parameters.</param>
/// <param name="MlflowRunId">The step's MLflow run (nested under the pipeline run's), or null when tracking is off.</param>
/// <param name="Attempt">Which try this is (from 1).</param>
/// <param name="WorkDirectory">A directory of its own for files, emptied before each try.</param>
/// <param name="Log">Writes a line to the step's log.</param>
public sealed record StepContext(
    long RunId,
    string Pipeline,
    StepDefinition Step,
    JsonElement Params,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyDictionary<string, string> Parameters,
    string? MlflowRunId,
    int Attempt,
    string WorkDirectory,
    Action<string> Log);
