using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Keel.Application.Pipelines;
using Keel.Core.Pipelines.Definition;

namespace Keel.Pipelines.Steps;

/// <summary>
/// <c>command</c>: runs any executable, so users add their own steps. Inputs and outputs are passed
/// as paths: <c>${inputs.NAME}</c> in an argument is a local copy of the input (a dataset version's
/// checkout, a downloaded run or model artifact, a plain path as given; a value input is the value
/// itself) and <c>${outputs.NAME}</c> a path in the work directory the program must write; both are
/// also in <c>KEEL_INPUT_NAME</c> / <c>KEEL_OUTPUT_NAME</c>. Each output written is uploaded to the
/// step's MLflow run under <c>outputs/NAME</c> (a value output is the file's trimmed text). Its
/// cache key includes the content of the executable and of every file the arguments and
/// <c>files</c> name, so editing a script makes the step run again.
/// </summary>
internal sealed class CommandStep(PipelineServices services) : IStepType
{
    // A marker for input and output paths while working out the cache key: they are not hashed there.
    private const string Placeholder = "\0";

    // Directories with more files than this are not hashed into the key (a root, a home directory).
    private const int MaxHashedFiles = 10_000;

    public string Name => "command";

    public int Version => 1;

    public string Summary => "Runs an executable with inputs and outputs passed as paths; its key includes the executable's and named files' content.";

    public bool Cacheable => true;

    public IReadOnlyCollection<string> ParamScopes => ["inputs", "outputs"];

    public IReadOnlyList<StepPort> InputsOf(StepDefinition step) =>
        [.. (step ?? throw new ArgumentNullException(nameof(step))).Inputs.Keys.Select(name => new StepPort(name, PipelineValueKind.File, Required: true, "Passed as ${inputs." + name + "} and KEEL_INPUT_" + StepFiles.EnvName(name) + ".", AnyKind: true))];

    public IReadOnlyList<StepPort> OutputsOf(StepDefinition step) =>
        [.. (step ?? throw new ArgumentNullException(nameof(step))).Outputs.Select(o => new StepPort(o.Key, o.Value, Description: "Written by the command at ${outputs." + o.Key + "}."))];

    public void Validate(StepDefinition step)
    {
        ArgumentNullException.ThrowIfNull(step);
        CommandSpec.Check(step);
    }

    public async Task<IReadOnlyList<string>> CacheMaterialAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var spec = CommandSpec.Expand(context, _ => Placeholder, _ => Placeholder);
        var workingDirectory = spec.WorkingDirectory(context.WorkDirectory);
        var scratch = Path.GetFullPath(context.WorkDirectory);
        var material = new List<string>();
        var executable = spec.Executable(workingDirectory);
        material.Add(executable is null
            ? $"executable {spec.Command[0]} (not found)"
            : $"executable {executable}#{await ContentHashes.OfAsync(executable, cancellationToken).ConfigureAwait(false)}");
        for (var i = 1; i < spec.Command.Count; i++)
        {
            if (await PathMaterialAsync(spec.Command[i], workingDirectory, scratch, cancellationToken).ConfigureAwait(false) is { } m)
            {
                material.Add($"argument[{i.ToString(CultureInfo.InvariantCulture)}] {m}");
            }
        }

        foreach (var file in spec.Files)
        {
            material.Add("file " + (await PathMaterialAsync(file, workingDirectory, scratch, cancellationToken).ConfigureAwait(false) ?? $"{file} (missing)"));
        }

        return material;
    }

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var work = Path.GetFullPath(context.WorkDirectory);
        if (Directory.Exists(work))
        {
            // A new try starts clean: nothing an earlier try wrote can pass for this one's output.
            Directory.Delete(work, recursive: true);
        }

        Directory.CreateDirectory(Path.Combine(work, "outputs"));
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in context.Inputs)
        {
            inputs[name] = await StepFiles.LocalAsync(services, value, Path.Combine(work, "inputs", name), cancellationToken).ConfigureAwait(false);
        }

        var outputs = context.Step.Outputs.Keys.ToDictionary(n => n, n => Path.Combine(work, "outputs", n), StringComparer.Ordinal);
        var spec = CommandSpec.Expand(context, inputs.GetValueOrDefault, outputs.GetValueOrDefault);
        var workingDirectory = spec.WorkingDirectory(work);
        if (!Directory.Exists(workingDirectory))
        {
            throw new InvalidOperationException($"working_dir '{workingDirectory}' does not exist");
        }

        foreach (var file in spec.Files)
        {
            var full = Path.GetFullPath(file, workingDirectory);
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                throw new InvalidOperationException($"'files' names '{file}' ({full}), which does not exist");
            }
        }

        var start = new ProcessStartInfo(spec.Executable(workingDirectory) ?? spec.Command[0]) { WorkingDirectory = workingDirectory };
        foreach (var argument in spec.Command.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in spec.Env)
        {
            start.Environment[name] = value;
        }

        // Keel's own variables last, so the step's env cannot make them lie.
        foreach (var (name, path) in inputs)
        {
            start.Environment["KEEL_INPUT_" + StepFiles.EnvName(name)] = path;
        }

        foreach (var (name, path) in outputs)
        {
            start.Environment["KEEL_OUTPUT_" + StepFiles.EnvName(name)] = path;
        }

        start.Environment["KEEL_PIPELINE"] = context.Pipeline;
        start.Environment["KEEL_PIPELINE_RUN_ID"] = context.RunId.ToString(CultureInfo.InvariantCulture);
        start.Environment["KEEL_STEP"] = context.Step.Name;
        start.Environment["KEEL_ATTEMPT"] = context.Attempt.ToString(CultureInfo.InvariantCulture);
        if (context.MlflowRunId is { } mlflowRun)
        {
            start.Environment["MLFLOW_RUN_ID"] = mlflowRun;
        }

        context.Log("$ " + CommandSpec.Show(spec.Command));
        var (exitCode, tail) = await CommandProcess.RunAsync(start, context.Log, cancellationToken).ConfigureAwait(false);
        if (exitCode != 0)
        {
            var stderr = tail.Count == 0 ? " (no stderr output)" : ":\n" + string.Join('\n', tail.TakeLast(10));
            throw new InvalidOperationException($"command exited with code {exitCode.ToString(CultureInfo.InvariantCulture)}{stderr}");
        }

        var produced = new Dictionary<string, string>(StringComparer.Ordinal);
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (name, kind) in context.Step.Outputs)
        {
            produced[name] = await StepFiles.OutputAsync(services, context.MlflowRunId, name, kind, outputs[name], cancellationToken).ConfigureAwait(false);
            if (kind == PipelineValueKind.Metrics)
            {
                ReadMetrics(outputs[name], context.Step.Outputs.Count(o => o.Value == PipelineValueKind.Metrics) > 1 ? name + "." : string.Empty, metrics);
            }
        }

        return new StepOutcome(produced, metrics.Count == 0 ? null : metrics);
    }

    // The numbers of a metrics output that is a flat JSON object are logged to the step's run too.
    private static void ReadMetrics(string path, string prefix, Dictionary<string, double> into)
    {
        if (!File.Exists(path) || new FileInfo(path).Length > 1 << 20)
        {
            return;
        }

        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return;
            }

            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetDouble(out var v))
                {
                    into[prefix + p.Name] = v;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: it is still the output, just not logged as figures.
        }
    }

    // "PATH#hash" for an argument naming an existing file or directory that is not an input, an
    // output or inside the step's own work directory; null for any other argument.
    private static async Task<string?> PathMaterialAsync(string argument, string workingDirectory, string scratch, CancellationToken cancellationToken)
    {
        if (argument.Length == 0 || argument.Contains(Placeholder, StringComparison.Ordinal) || argument.AsSpan().IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            return null;
        }

        string full;
        try
        {
            full = Path.GetFullPath(argument, workingDirectory);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return null;
        }

        if (full == scratch || full.StartsWith(scratch + Path.DirectorySeparatorChar, StringComparison.Ordinal) || Path.GetPathRoot(full) == full)
        {
            return null;
        }

        try
        {
            if (File.Exists(full))
            {
                return $"{full}#{await ContentHashes.OfAsync(full, cancellationToken).ConfigureAwait(false)}";
            }

            if (!Directory.Exists(full))
            {
                return null;
            }

            if (Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories).Take(MaxHashedFiles + 1).Count() > MaxHashedFiles)
            {
                return $"{full} (directory of more than {MaxHashedFiles} files, not hashed)";
            }

            return $"{full}#{await ContentHashes.OfAsync(full, cancellationToken).ConfigureAwait(false)}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"{full} (unreadable: {e.GetType().Name})";
        }
    }
}
