using System.Reflection;
using Keel.Core.Errors;
using Keel.ML.Manifest;
using Keel.ML.MlNet;
using Microsoft.ML;

namespace Keel.ML;

/// <summary>Writes model directories (artifacts + MLmodel) in the layout MLflow uses.</summary>
public static class ModelPackage
{
    /// <summary>
    /// Saves a fitted ML.NET model into <paramref name="directory"/>: <c>model.zip</c> and an
    /// <c>MLmodel</c> with the mlnet flavor, an MLflow signature and the .NET environment.
    /// </summary>
    /// <param name="model">The fitted pipeline.</param>
    /// <param name="inputSchema">The schema of the data the pipeline was fitted on.</param>
    /// <param name="directory">Target directory; created if absent.</param>
    /// <param name="options">Task, label and metadata.</param>
    /// <returns>The manifest written.</returns>
    public static ModelManifest SaveMlNet(ITransformer model, DataViewSchema inputSchema, string directory, MlNetSaveOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputSchema);
        if (options.Task is not ("binary" or "multiclass" or "regression"))
        {
            throw KeelException.InvalidParameter($"Unknown task '{options.Task}'; expected binary, multiclass or regression.");
        }

        Directory.CreateDirectory(directory);
        var context = new MLContext();
        const string data = "model.zip";
        context.Model.Save(model, inputSchema, Path.Combine(directory, data));

        var names = options.InputColumns ?? [.. inputSchema.Where(c => !c.IsHidden && c.Name != options.LabelColumn).Select(c => c.Name)];
        var columns = names.Select(n => new ColumnSpec(n, MlNetTypes.ToMlflowType(
            (inputSchema.GetColumnOrNull(n) ?? throw KeelException.InvalidParameter($"Input column '{n}' is not in the schema.")).Type, n))).ToList();

        var labels = options.LabelValues;
        if (labels is null && options.Task == "multiclass")
        {
            labels = MlNetModel.ScoreSlotNames(model.GetOutputSchema(inputSchema));
        }

        var mlnetVersion = PackageVersion(typeof(MLContext).Assembly);
        var manifest = new ModelManifest
        {
            ArtifactPath = options.ArtifactPath,
            RunId = options.RunId,
            UtcTimeCreated = DateTime.UtcNow,
            Keel = options.Keel,
            Signature = new ModelSignature(
                SchemaSpec.FromColumns(columns),
                SchemaSpec.FromColumns([new ColumnSpec("prediction", options.Task == "regression" ? "float" : "string")])),
            Environment = new KeelEnvironment(
                Environment.Version.ToString(),
                new Dictionary<string, string>
                {
                    ["Microsoft.ML"] = mlnetVersion,
                    ["Keel.ML"] = PackageVersion(typeof(ModelPackage).Assembly),
                }),
        };
        manifest.SetMlNetFlavor(new MlNetFlavor(data, mlnetVersion, columns, options.Task, options.LabelColumn, labels ?? []));
        manifest.ModelSizeBytes = DirectorySize(directory);
        manifest.Save(directory);
        return manifest;
    }

    /// <summary>Total size of the files under a directory, MLflow's <c>model_size_bytes</c>.</summary>
    public static long DirectorySize(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    private static string PackageVersion(Assembly assembly)
    {
        // The informational version is the NuGet version (plus "+commit"); the assembly version is not.
        var info = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return info?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}
