using System.Globalization;
using Keel.Core.Errors;

namespace Keel.ML.Manifest;

/// <summary>
/// The <c>MLmodel</c> file of a model directory, laid out as MLflow 2.12 lays it out. Sections
/// Keel does not model (other flavors, <c>metadata</c>, <c>databricks_runtime</c>...) are kept
/// verbatim so a read-then-write round trip loses nothing.
/// </summary>
public sealed class ModelManifest
{
    /// <summary>The manifest file name inside a model directory.</summary>
    public const string FileName = "MLmodel";

    /// <summary>MLflow's <c>utc_time_created</c> format.</summary>
    public const string TimeFormat = "yyyy-MM-dd HH:mm:ss.ffffff";

    // MLflow's Model.to_dict() starts with these attributes; the other sections follow.
    private static readonly string[] HistoryOrder = ["run_id", "artifact_path", "utc_time_created", "flavors", "model_uuid", "mlflow_version"];

    private static readonly HashSet<string> KnownKeys =
    [
        "artifact_path", "flavors", "signature", "saved_input_example_info", "run_id", "model_uuid",
        "utc_time_created", "model_size_bytes", "mlflow_version", "keel", "keel_environment",
    ];

    /// <summary>Path of the model under its run's artifacts (e.g. <c>model</c>).</summary>
    public string? ArtifactPath { get; set; }

    /// <summary>The run that logged the model.</summary>
    public string? RunId { get; set; }

    /// <summary>Unique id of this model (32 hex digits, as MLflow's uuid4().hex).</summary>
    public string ModelUuid { get; set; } = Guid.NewGuid().ToString("N");

    /// <summary>Creation time, UTC.</summary>
    public DateTime? UtcTimeCreated { get; set; }

    /// <summary>Total size of the model directory in bytes.</summary>
    public long? ModelSizeBytes { get; set; }

    /// <summary>The MLflow version compatibility is claimed for.</summary>
    public string? MlflowVersion { get; set; } = "2.12.2";

    /// <summary>The model signature, if logged.</summary>
    public ModelSignature? Signature { get; set; }

    /// <summary>The <c>saved_input_example_info</c> section verbatim (artifact_path, type, format...).</summary>
    public Dictionary<string, object?>? SavedInputExampleInfo { get; set; }

    /// <summary>Every flavor section verbatim, keyed by flavor name.</summary>
    public Dictionary<string, Dictionary<string, object?>> Flavors { get; } = new(StringComparer.Ordinal);

    /// <summary>Keel's own section.</summary>
    public KeelModelInfo? Keel { get; set; }

    /// <summary>The .NET environment the model was built with (ML.NET models).</summary>
    public KeelEnvironment? Environment { get; set; }

    /// <summary>Top-level keys Keel does not model, kept for the round trip.</summary>
    public Dictionary<string, object?> Extra { get; } = new(StringComparer.Ordinal);

    /// <summary>The typed ONNX flavor, or null when absent.</summary>
    public OnnxFlavor? Onnx => OnnxFlavor.From(Flavors.GetValueOrDefault(OnnxFlavor.Name));

    /// <summary>The typed ML.NET flavor, or null when absent.</summary>
    public MlNetFlavor? MlNet => MlNetFlavor.From(Flavors.GetValueOrDefault(MlNetFlavor.Name));

    /// <summary>Sets the onnx flavor and the python_function flavor MLflow writes beside it.</summary>
    public void SetOnnxFlavor(OnnxFlavor flavor, string pythonVersion = "3.11.7")
    {
        Flavors[OnnxFlavor.Name] = flavor.ToTree();
        Flavors["python_function"] = new(StringComparer.Ordinal)
        {
            ["loader_module"] = "mlflow.onnx",
            ["data"] = flavor.Data,
            ["env"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["conda"] = "conda.yaml", ["virtualenv"] = "python_env.yaml" },
            ["python_version"] = pythonVersion,
        };
    }

    /// <summary>Sets the mlnet flavor.</summary>
    public void SetMlNetFlavor(MlNetFlavor flavor) => Flavors[MlNetFlavor.Name] = flavor.ToTree();

    /// <summary>Reads <c>MLmodel</c> from a model directory (or the file itself).</summary>
    public static ModelManifest Load(string directoryOrFile)
    {
        var path = Directory.Exists(directoryOrFile) ? Path.Combine(directoryOrFile, FileName) : directoryOrFile;
        if (!File.Exists(path))
        {
            throw KeelException.NotFound($"No {FileName} file at '{path}'.");
        }

        return Parse(File.ReadAllText(path));
    }

    /// <summary>Parses MLmodel YAML text.</summary>
    public static ModelManifest Parse(string yaml)
    {
        var tree = YamlTree.Parse(yaml);
        var m = new ModelManifest
        {
            ArtifactPath = tree.Str("artifact_path"),
            RunId = tree.Str("run_id"),
            ModelUuid = tree.Str("model_uuid") ?? string.Empty,
            ModelSizeBytes = tree.Long("model_size_bytes"),
            MlflowVersion = tree.Str("mlflow_version"),
            SavedInputExampleInfo = tree.Map("saved_input_example_info")?.ToDictionary(StringComparer.Ordinal),
            Keel = KeelModelInfo.From(tree.Map("keel")),
            Environment = KeelEnvironment.From(tree.Map("keel_environment")),
        };

        if (tree.Str("utc_time_created") is { } created &&
            DateTime.TryParse(created, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
        {
            m.UtcTimeCreated = t;
        }

        if (tree.Map("flavors") is { } flavors)
        {
            foreach (var (name, value) in flavors)
            {
                m.Flavors[name] = (value as IReadOnlyDictionary<string, object?>)?.ToDictionary(StringComparer.Ordinal) ?? new(StringComparer.Ordinal);
            }
        }

        if (tree.Map("signature") is { } sig && sig.Str("inputs") is { } inputs)
        {
            var outputs = sig.Str("outputs");
            m.Signature = new ModelSignature(SchemaSpec.Parse(inputs), outputs is null ? null : SchemaSpec.Parse(outputs), sig.Str("params"));
        }

        foreach (var (key, value) in tree.Where(kv => !KnownKeys.Contains(kv.Key)))
        {
            m.Extra[key] = value;
        }

        return m;
    }

    /// <summary>The MLmodel YAML text.</summary>
    public string ToYaml()
    {
        var tree = new Dictionary<string, object?>(Extra, StringComparer.Ordinal);
        Put(tree, "artifact_path", ArtifactPath);
        Put(tree, "run_id", RunId);
        tree["model_uuid"] = ModelUuid;
        Put(tree, "utc_time_created", UtcTimeCreated?.ToString(TimeFormat, CultureInfo.InvariantCulture));
        Put(tree, "model_size_bytes", ModelSizeBytes);
        Put(tree, "mlflow_version", MlflowVersion);
        tree["flavors"] = Flavors.ToDictionary(kv => kv.Key, kv => (object?)kv.Value, StringComparer.Ordinal);
        Put(tree, "saved_input_example_info", SavedInputExampleInfo);
        Put(tree, "keel", Keel?.ToTree());
        Put(tree, "keel_environment", Environment?.ToTree());
        if (Signature is { } s)
        {
            tree["signature"] = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["inputs"] = s.Inputs.ToJson(),
                ["outputs"] = s.Outputs?.ToJson(),
                ["params"] = s.ParamsJson,
            };
        }

        return YamlTree.Emit(tree);
    }

    /// <summary>
    /// The manifest as one <c>mlflow.log-model.history</c> entry: what MLflow's client sends to
    /// <c>runs/log-model</c> (<c>Model.to_json()</c>), i.e. the MLmodel's content as JSON, typed as
    /// YAML reads it, with MLflow's fields in MLflow's order (run_id, artifact_path, utc_time_created,
    /// flavors, model_uuid, mlflow_version, then the rest).
    /// </summary>
    public string ToHistoryJson() => YamlTree.ToJson(ToYaml(), HistoryOrder);

    /// <summary>Writes <c>MLmodel</c> into a model directory.</summary>
    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, FileName), ToYaml());
    }

    private static void Put(Dictionary<string, object?> tree, string key, object? value)
    {
        // MLflow omits unset optional keys rather than writing null.
        if (value is not null)
        {
            tree[key] = value;
        }
    }
}
