using System.Text.Json;
using Keel.Application.Pipelines;
using Keel.Core.Pipelines.Definition;

namespace Keel.Pipelines.Steps;

/// <summary>A command step's parameters with every template filled in.</summary>
/// <param name="Command">The executable and its arguments.</param>
/// <param name="Env">Extra environment variables.</param>
/// <param name="Files">Extra files whose content is part of the cache key.</param>
/// <param name="WorkingDir">The working directory as given, or null for the step's work directory.</param>
internal sealed record CommandSpec(IReadOnlyList<string> Command, IReadOnlyDictionary<string, string> Env, IReadOnlyList<string> Files, string? WorkingDir)
{
    public static readonly string[] Known = ["command", "env", "files", "working_dir"];

    /// <summary>Checks the parameters as written (templates not filled in).</summary>
    public static void Check(StepDefinition step)
    {
        OpsParams.OnlyKnown(step, step.Params, Known);
        var command = OpsParams.Strings(step, step.Params, "command", required: true)!;
        if (command.Count == 0 || string.IsNullOrWhiteSpace(command[0]))
        {
            throw OpsParams.Invalid(step, "command", "must start with the executable to run, e.g. [\"python\", \"train.py\"]");
        }

        if (OpsParams.Map(step, step.Params, "env") is { } env)
        {
            foreach (var name in env.Keys)
            {
                if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Any(char.IsControl))
                {
                    throw OpsParams.Invalid(step, $"env.{name}", "is not a valid environment variable name");
                }
            }
        }

        OpsParams.Strings(step, step.Params, "files");
        OpsParams.String(step, step.Params, "working_dir");
        foreach (var (path, text) in Templates.Strings(step.Params, "params"))
        {
            foreach (var (scope, name) in Templates.References(text))
            {
                if (scope == "inputs" && !step.Inputs.ContainsKey(name))
                {
                    throw OpsParams.Invalid(step, path[7..], $"uses ${{inputs.{name}}} but the step has no input '{name}' (declare it under 'inputs')");
                }

                if (scope == "outputs" && !step.Outputs.ContainsKey(name))
                {
                    throw OpsParams.Invalid(step, path[7..], $"uses ${{outputs.{name}}} but the step declares no output '{name}' (declare it under 'outputs')");
                }
            }
        }
    }

    /// <summary>
    /// The parameters as written with <c>${params.…}</c>, <c>${inputs.…}</c> and <c>${outputs.…}</c>
    /// filled in (expanded once from the definition, so <c>$${</c> stays a literal <c>${</c>).
    /// </summary>
    public static CommandSpec Expand(StepContext context, Func<string, string?> input, Func<string, string?> output)
    {
        var step = context.Step;
        string? Lookup(string scope, string name) => scope switch
        {
            "params" => context.Parameters.GetValueOrDefault(name),
            "inputs" => input(name),
            "outputs" => output(name),
            _ => null,
        };
        var p = Templates.Expand(step.Params, Lookup, $"steps.{step.Name}.params");
        return new CommandSpec(
            OpsParams.Strings(step, p, "command", required: true)!,
            OpsParams.Map(step, p, "env") ?? new Dictionary<string, string>(),
            OpsParams.Strings(step, p, "files") ?? [],
            OpsParams.String(step, p, "working_dir"));
    }

    /// <summary>The directory the program runs in: <c>working_dir</c> (relative to the step's work directory), or the work directory.</summary>
    public string WorkingDirectory(string workDirectory) =>
        WorkingDir is null ? Path.GetFullPath(workDirectory) : Path.GetFullPath(WorkingDir, Path.GetFullPath(workDirectory));

    /// <summary>
    /// The executable's full path: a name with a directory separator relative to the working
    /// directory, a bare name looked up on PATH (the step's <c>env</c> PATH when it sets one); null when not found.
    /// </summary>
    public string? Executable(string workingDirectory)
    {
        var name = Command[0];
        if (name.Contains('/', StringComparison.Ordinal) || name.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(name, workingDirectory);
            return File.Exists(full) ? full : null;
        }

        var path = Env.GetValueOrDefault("PATH") ?? Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return Path.GetFullPath(candidate);
            }

            if (OperatingSystem.IsWindows() && File.Exists(candidate + ".exe"))
            {
                return Path.GetFullPath(candidate + ".exe");
            }
        }

        return null;
    }

    /// <summary>A string parameter of the step as JSON, for messages.</summary>
    public static string Show(IReadOnlyList<string> command) => JsonSerializer.Serialize(command);
}
