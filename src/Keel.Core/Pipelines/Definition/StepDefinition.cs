using System.Text.Json;

namespace Keel.Core.Pipelines.Definition;

/// <summary>One step of a pipeline.</summary>
/// <param name="Name">Unique within the pipeline (letters, digits, '-', '_').</param>
/// <param name="Type">The step type, e.g. <c>train</c> or <c>command</c>.</param>
/// <param name="Params">The type's parameters as a JSON object; strings may hold <c>${params.NAME}</c>.</param>
/// <param name="Inputs">Inputs by name: a reference to an upstream output (<c>${steps.STEP.OUTPUT}</c>), a parameter (<c>${params.NAME}</c>) or a literal URI.</param>
/// <param name="Outputs">Declared outputs and their kinds (required for <c>command</c>; optional for built-in types, whose outputs are known).</param>
/// <param name="After">Steps that must end first though no output is passed.</param>
/// <param name="Retries">Extra tries after a failure (0-10).</param>
/// <param name="TimeoutSeconds">A try longer than this fails; null for the default.</param>
/// <param name="Resources">Resource hints.</param>
/// <param name="Cache">False to always run the step, whatever its key.</param>
public sealed record StepDefinition(
    string Name,
    string Type,
    JsonElement Params,
    IReadOnlyDictionary<string, string> Inputs,
    IReadOnlyDictionary<string, PipelineValueKind> Outputs,
    IReadOnlyList<string> After,
    int Retries = 0,
    int? TimeoutSeconds = null,
    StepResources? Resources = null,
    bool Cache = true);
