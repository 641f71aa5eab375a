using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Keel.Cli.Infrastructure;
using Keel.Core.Artifacts;
using Keel.Core.Errors;
using Keel.Core.Registry;
using Keel.ML;
using Keel.ML.Repository;
using Spectre.Console;

namespace Keel.Cli.Commands.Package;

/// <summary>
/// <c>keel package MODEL_URI --output DIR</c>: a standalone scorer for an edge device or a container,
/// the model pinned to the version it names now, the scoring runtime beside it, a run script and a
/// Dockerfile. Nothing in it reads a store or the network.
/// </summary>
internal static partial class PackageCommand
{
    public static Command Create()
    {
        var uri = new Argument<string>("model-uri") { Description = "models:/NAME/VERSION, models:/NAME@ALIAS, models:/NAME/STAGE or runs:/RUN_ID/PATH." };
        var output = new Option<string>("--output", "-o") { Description = "Directory to write the package into (created; must be empty if it exists).", Required = true };
        var name = new Option<string?>("--name") { Description = "Model name in the V2 routes. Default: the registered model's name, else 'model'." };
        var runtime = new Option<string>("--runtime") { Description = $"Platform to package native libraries for (linux-x64, linux-arm64, win-x64, osx-arm64, ... or {ScorerRuntime.AnyRuntime}). Default: this machine's.", DefaultValueFactory = _ => ScorerRuntime.CurrentRuntime };
        var port = new Option<int>("--port") { Description = "Port the container listens on (Dockerfile).", DefaultValueFactory = _ => 8080 };
        var store = new StoreOptions();
        var command = new Command("package", "Write a standalone scorer (model, scoring runtime, run script, Dockerfile) that serves V2 and /invocations offline.")
        {
            uri, output, name, runtime, port, store.TrackingUri, store.DataDir,
        };
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var request = Check(result.GetValue(output)!, result.GetValue(name), result.GetValue(runtime)!, result.GetValue(port));
            await using var session = await store.OpenAsync(result).ConfigureAwait(false);
            var modelUri = result.GetValue(uri)!;
            var resolved = await session.Registry.ResolveModelUriAsync(modelUri, cancellationToken).ConfigureAwait(false);
            var root = ArtifactUri.ProxyPathOf(resolved.ArtifactUri);
            var modelName = request.Name ?? resolved.Version?.Name ?? "model";
            var version = resolved.Version is { } v ? v.Version.ToString(CultureInfo.InvariantCulture) : ParsedRunId(modelUri);
            if (!ModelName().IsMatch(modelName))
            {
                throw KeelException.InvalidParameter($"The model name '{modelName}' cannot be a V2 route segment; pass --name with letters, digits, '_', '.' and '-'.");
            }

            Directory.CreateDirectory(request.Directory);
            var written = await WriteAsync(session, root, request, modelUri, resolved, modelName, version, cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLineInterpolated($"Packaged [bold]{modelUri}[/] ({modelName} version {version}, {request.Runtime}) into {request.Directory}");
            AnsiConsole.MarkupLineInterpolated($"Run it:  {Path.Combine(request.Directory, "run.sh")} --port 8080   then POST /v2/models/{modelName}/infer or /invocations");
            if (written.Dockerfile)
            {
                AnsiConsole.MarkupLineInterpolated($"Or in a container:  docker build -t {modelName.ToLowerInvariant()}-scorer:{version} {request.Directory}");
            }

            return 0;
        });
        return command;
    }

    private static PackageRequest Check(string output, string? name, string runtime, int port)
    {
        var directory = Path.GetFullPath(output);
        if (File.Exists(directory) || (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any()))
        {
            throw KeelException.InvalidParameter($"Invalid value for --output: '{directory}' exists and is not an empty directory; choose a new one.");
        }

        if (name is not null && !ModelName().IsMatch(name))
        {
            throw KeelException.InvalidParameter($"Invalid value '{name}' for --name: use 1 to 128 letters, digits, '_', '.' and '-', starting with a letter or digit.");
        }

        if (port is < 1 or > 65535)
        {
            throw KeelException.InvalidParameter($"Invalid value '{port}' for --port: must be from 1 to 65535.");
        }

        var runtimeDir = ScorerRuntime.Locate();
        var platforms = ScorerRuntime.Platforms(runtimeDir);
        if (runtime != ScorerRuntime.AnyRuntime && !platforms.Contains(runtime))
        {
            throw KeelException.InvalidParameter($"Invalid value '{runtime}' for --runtime: the scorer has native libraries for {string.Join(", ", platforms)}; or use {ScorerRuntime.AnyRuntime}.");
        }

        return new PackageRequest(directory, name, runtime, port, runtimeDir);
    }

    private static async Task<(int Files, bool Dockerfile)> WriteAsync(
        StoreSession session, string root, PackageRequest request, string modelUri, ResolvedModel resolved, string modelName, string version, CancellationToken cancellationToken)
    {
        var modelDir = Path.Combine(request.Directory, "model");
        var appDir = Path.Combine(request.Directory, "app");
        var files = ScorerRuntime.FilesFor(request.RuntimeDir, request.Runtime);
        var dockerfile = false;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async progress =>
            {
                var download = progress.AddTask("Download the model", maxValue: 1);
                var check = progress.AddTask("Load it once (flavor and files)", maxValue: 1);
                var copy = progress.AddTask($"Copy the scoring runtime ({files.Count} files)", maxValue: files.Count);
                var write = progress.AddTask("Write run.sh, Dockerfile, scorer.json", maxValue: 1);

                var count = await ArtifactTree.DownloadAsync(session.Artifacts, root, modelDir, cancellationToken).ConfigureAwait(false);
                if (count == 0)
                {
                    throw KeelException.NotFound($"No artifacts found at {resolved.ArtifactUri}.");
                }

                download.Increment(1);

                // A package the scorer cannot load must fail here, not on the device.
                using (ModelLoader.Load(modelDir))
                {
                    check.Increment(1);
                }

                foreach (var file in files)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var target = Path.Combine(appDir, file);
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(Path.Combine(request.RuntimeDir, file), target);
                    copy.Increment(1);
                }

                var info = new JsonObject
                {
                    ["name"] = modelName,
                    ["version"] = version,
                    ["model_uri"] = modelUri,
                    ["pinned_uri"] = resolved.Version is { } v ? $"models:/{v.Name}/{v.Version}" : modelUri,
                    ["artifact_uri"] = resolved.ArtifactUri,
                    ["runtime"] = request.Runtime,
                    ["keel_version"] = typeof(PackageCommand).Assembly.GetName().Version?.ToString(3),
                    ["created_at"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                };
                await File.WriteAllTextAsync(Path.Combine(request.Directory, "scorer.json"), info.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n", cancellationToken).ConfigureAwait(false);
                var script = Path.Combine(request.Directory, "run.sh");
                await File.WriteAllTextAsync(script, PackageFiles.RunScript(modelName, version), cancellationToken).ConfigureAwait(false);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(script, File.GetUnixFileMode(script) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                }

                if (PackageFiles.Dockerfile(modelName, version, modelUri, request.Runtime, request.Port) is { } text)
                {
                    await File.WriteAllTextAsync(Path.Combine(request.Directory, "Dockerfile"), text, cancellationToken).ConfigureAwait(false);
                    dockerfile = true;
                }

                write.Increment(1);
            }).ConfigureAwait(false);
        return (files.Count, dockerfile);
    }

    /// <summary>A runs:/ model has no registry version; the run id stands in for it.</summary>
    private static string ParsedRunId(string modelUri) => ModelUri.Parse(modelUri).RunId ?? "1";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex ModelName();

    private sealed record PackageRequest(string Directory, string? Name, string Runtime, int Port, string RuntimeDir);
}
