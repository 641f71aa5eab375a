using System.Globalization;
using Keel.Core.Errors;
using YamlDotNet.RepresentationModel;

namespace Keel.Training;

/// <summary>
/// Reads a training spec from YAML and validates specs however they were built. Errors are
/// INVALID_PARAMETER_VALUE and name the field by its YAML path (e.g. <c>validation.folds</c>);
/// unknown keys are rejected so a typo never silently falls back to a default.
/// </summary>
public static class TrainingSpecParser
{
    private static readonly string[] TopKeys =
    [
        "data", "label", "task", "features", "exclude", "categorical", "text", "max_one_hot_values", "separator", "positive_class",
        "validation", "metric", "search", "seed", "fairness", "experiment", "register_as", "run_name",
    ];

    /// <summary>Parses and validates a spec file; a relative <c>data</c> path is resolved against the file's directory.</summary>
    public static TrainingSpec Load(string path)
    {
        if (!File.Exists(path))
        {
            throw KeelException.InvalidParameter($"Training spec '{path}' does not exist.");
        }

        return Parse(File.ReadAllText(path), Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    /// <summary>Parses and validates YAML text; <paramref name="baseDirectory"/> resolves a relative data path.</summary>
    public static TrainingSpec Parse(string yaml, string? baseDirectory = null)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw KeelException.InvalidParameter($"Training spec is not valid YAML (line {ex.Start.Line}): {ex.Message}");
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw KeelException.InvalidParameter("Training spec must be a YAML mapping with at least 'data', 'label' and 'task'.");
        }

        var map = Map(root, string.Empty, TopKeys);
        var data = Str(map, "data") ?? throw Missing("data");
        if (baseDirectory is not null && !Path.IsPathRooted(data))
        {
            data = Path.GetFullPath(Path.Combine(baseDirectory, data));
        }

        var validation = new ValidationSpec();
        if (map.TryGetValue("validation", out var v))
        {
            var vm = Map(v, "validation", ["holdout", "kfold", "folds", "time_column", "fraction"]);
            var kfold = Int(vm, "kfold", "validation.") ?? Int(vm, "folds", "validation.");
            var time = Str(vm, "time_column", "validation.");
            var fraction = Double(vm, "holdout", "validation.") ?? Double(vm, "fraction", "validation.");
            if (kfold is not null && time is not null)
            {
                throw KeelException.InvalidParameter("Field 'validation': choose one of 'kfold' and 'time_column'.");
            }

            validation = new ValidationSpec
            {
                Kind = kfold is not null ? ValidationKind.KFold : time is not null ? ValidationKind.TimeOrdered : ValidationKind.Holdout,
                Folds = kfold ?? 5,
                TimeColumn = time,
                Fraction = fraction ?? 0.2,
            };
        }

        double? budget = null;
        int? trials = null, parallelism = null;
        IReadOnlyList<string> trainers = [];
        if (map.TryGetValue("search", out var s))
        {
            var sm = Map(s, "search", ["time_budget", "trials", "trainers", "parallelism"]);
            budget = Double(sm, "time_budget", "search.");
            trials = Int(sm, "trials", "search.");
            parallelism = Int(sm, "parallelism", "search.");
            trainers = List(sm, "trainers", "search.") ?? [];
        }

        IReadOnlyList<string> sensitive = [];
        var limits = new FairnessLimits();
        if (map.TryGetValue("fairness", out var f))
        {
            var fm = Map(f, "fairness", ["sensitive", "limits"]);
            sensitive = List(fm, "sensitive", "fairness.") ?? [];
            if (fm.TryGetValue("limits", out var l))
            {
                var lm = Map(l, "fairness.limits", ["demographic_parity_difference", "equal_opportunity_difference", "equalized_odds_difference", "worst_group_auc", "worst_group_error"]);
                limits = new FairnessLimits
                {
                    MaxDemographicParityDifference = Double(lm, "demographic_parity_difference", "fairness.limits."),
                    MaxEqualOpportunityDifference = Double(lm, "equal_opportunity_difference", "fairness.limits."),
                    MaxEqualizedOddsDifference = Double(lm, "equalized_odds_difference", "fairness.limits."),
                    MinWorstGroupAuc = Double(lm, "worst_group_auc", "fairness.limits."),
                    MaxWorstGroupError = Double(lm, "worst_group_error", "fairness.limits."),
                };
            }
        }

        var separator = Str(map, "separator");
        if (separator is not null && separator.Length != 1)
        {
            throw KeelException.InvalidParameter("Field 'separator' must be a single character.");
        }

        var spec = new TrainingSpec
        {
            Data = data,
            Label = Str(map, "label") ?? throw Missing("label"),
            Task = ParseTask(Str(map, "task") ?? throw Missing("task"), "task"),
            Features = List(map, "features"),
            Exclude = List(map, "exclude") ?? [],
            Categorical = List(map, "categorical") ?? [],
            Text = List(map, "text") ?? [],
            MaxOneHotValues = Int(map, "max_one_hot_values") ?? 64,
            Separator = separator?[0] ?? ',',
            PositiveClass = Str(map, "positive_class"),
            Validation = validation,
            Metric = Str(map, "metric"),
            TimeBudgetSeconds = budget,
            Trials = trials,
            Trainers = trainers,
            Parallelism = parallelism,
            Seed = Int(map, "seed") ?? 42,
            Sensitive = sensitive,
            FairnessLimits = limits,
            Experiment = Str(map, "experiment"),
            RegisterAs = Str(map, "register_as"),
            RunName = Str(map, "run_name"),
        };
        Validate(spec);
        return spec;
    }

    /// <summary>Parses a task name (binary, multiclass, regression), naming <paramref name="field"/> on error.</summary>
    public static TrainingTask ParseTask(string value, string field = "task") => value.Trim().ToLowerInvariant() switch
    {
        "binary" or "binary_classification" or "classification" => TrainingTask.Binary,
        "multiclass" or "multiclass_classification" => TrainingTask.Multiclass,
        "regression" => TrainingTask.Regression,
        _ => throw KeelException.InvalidParameter($"Field '{field}': unknown task '{value}'; expected binary, multiclass or regression."),
    };

    /// <summary>Checks a spec (from YAML or code) and throws INVALID_PARAMETER_VALUE naming the field.</summary>
    public static void Validate(TrainingSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Require(!string.IsNullOrWhiteSpace(spec.Data), "data", "is required");
        Require(!string.IsNullOrWhiteSpace(spec.Label), "label", "is required");
        Require(spec.Validation.Fraction is > 0 and < 1, "validation.holdout", $"must be between 0 and 1 (exclusive), got {spec.Validation.Fraction}");
        Require(spec.Validation.Folds is >= ValidationSpec.MinFolds and <= ValidationSpec.MaxFolds, "validation.kfold", $"must be between {ValidationSpec.MinFolds} and {ValidationSpec.MaxFolds}, got {spec.Validation.Folds}");
        Require(spec.Validation.Kind != ValidationKind.TimeOrdered || !string.IsNullOrWhiteSpace(spec.Validation.TimeColumn), "validation.time_column", "is required for a time-ordered split");
        Require(spec.Validation.TimeColumn != spec.Label, "validation.time_column", "cannot be the label");
        Require(spec.TimeBudgetSeconds is null or > 0, "search.time_budget", $"must be positive, got {spec.TimeBudgetSeconds}");
        Require(spec.Trials is null or >= 1, "search.trials", $"must be at least 1, got {spec.Trials}");
        Require(spec.Parallelism is null or >= 1, "search.parallelism", $"must be at least 1, got {spec.Parallelism}");
        Require(spec.MaxOneHotValues >= 2, "max_one_hot_values", "must be at least 2");
        Require(spec.Metric is null || TrainingMetrics.For(spec.Task).Contains(spec.Metric), "metric",
            $"'{spec.Metric}' is not a {spec.Task.ToString().ToLowerInvariant()} metric; expected one of {string.Join(", ", TrainingMetrics.For(spec.Task))}");
        foreach (var trainer in spec.Trainers)
        {
            Require(TrainerCatalog.Known.Contains(trainer), "search.trainers", $"unknown trainer '{trainer}'; expected {string.Join(", ", TrainerCatalog.Known)}");
        }

        Require(!spec.Sensitive.Contains(spec.Label), "fairness.sensitive", "cannot include the label");
        Require(spec.Features is null || !spec.Features.Contains(spec.Label), "features", "cannot include the label");
    }

    private static void Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            throw KeelException.InvalidParameter($"Field '{field}' {message}.");
        }
    }

    private static KeelException Missing(string field) => KeelException.InvalidParameter($"Field '{field}' is required.");

    private static Dictionary<string, YamlNode> Map(YamlNode node, string path, string[] allowed)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw KeelException.InvalidParameter($"Field '{path}' must be a mapping.");
        }

        var result = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            var name = ((YamlScalarNode)key).Value ?? string.Empty;
            if (!allowed.Contains(name))
            {
                var full = path.Length == 0 ? name : $"{path}.{name}";
                throw KeelException.InvalidParameter($"Field '{full}' is not a known setting; expected one of {string.Join(", ", allowed)}.");
            }

            result[name] = value;
        }

        return result;
    }

    private static string? Str(Dictionary<string, YamlNode> map, string key, string prefix = "") => map.TryGetValue(key, out var node)
        ? node is YamlScalarNode s ? s.Value : throw KeelException.InvalidParameter($"Field '{prefix}{key}' must be a single value.")
        : null;

    private static int? Int(Dictionary<string, YamlNode> map, string key, string prefix = "")
    {
        var s = Str(map, key, prefix);
        return s is null ? null
            : int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v
            : throw KeelException.InvalidParameter($"Field '{prefix}{key}' must be an integer, got '{s}'.");
    }

    private static double? Double(Dictionary<string, YamlNode> map, string key, string prefix = "")
    {
        var s = Str(map, key, prefix);
        return s is null ? null
            : double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v
            : throw KeelException.InvalidParameter($"Field '{prefix}{key}' must be a number, got '{s}'.");
    }

    private static List<string>? List(Dictionary<string, YamlNode> map, string key, string prefix = "") => map.TryGetValue(key, out var node)
        ? node switch
        {
            YamlSequenceNode seq => [.. seq.Children.Select(c => c is YamlScalarNode s ? s.Value ?? string.Empty : throw KeelException.InvalidParameter($"Field '{prefix}{key}' must be a list of names."))],
            YamlScalarNode s when !string.IsNullOrEmpty(s.Value) => [.. s.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)],
            _ => throw KeelException.InvalidParameter($"Field '{prefix}{key}' must be a list of names."),
        }
        : null;
}
