using System.CommandLine;
using System.Globalization;
using Keel.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Keel.Cli.Infrastructure;

/// <summary>One setting of a config file: its key, where it applies, its value(s) and its line.</summary>
/// <param name="Key">The key as written, e.g. <c>data_dir</c> or <c>port</c>.</param>
/// <param name="Section">The command path of the section it sits in (<c>server</c>, <c>endpoints serve</c>), empty at the top.</param>
/// <param name="Values">Its value, or values for a list.</param>
/// <param name="Line">Its line in the file.</param>
internal sealed record ConfigSetting(string Key, string Section, IReadOnlyList<string> Values, int Line)
{
    /// <summary>The key with dashes and underscores alike, lower case: <c>data-dir</c> and <c>data_dir</c> are one key.</summary>
    public string Normalized => ConfigFile.Normalize(Key);

    /// <summary>Where it is, for messages: <c>server.port (line 4)</c>.</summary>
    public string Where => (Section.Length == 0 ? Key : Section.Replace(' ', '.') + "." + Key) + string.Create(CultureInfo.InvariantCulture, $" (line {Line})");
}

/// <summary>
/// Keel's config file: <c>--config FILE</c>, else <c>KEEL_CONFIG</c>, else <c>~/.keel/config.yaml</c>
/// when it exists. Top-level keys are the environment variables' (<c>data_dir</c> for
/// <c>KEEL_DATA_DIR</c>, <c>mlflow_s3_endpoint_url</c> for <c>MLFLOW_S3_ENDPOINT_URL</c>) and the
/// options of any command (<c>port</c> for <c>--port</c>); a mapping named after a command
/// (<c>server:</c>, <c>endpoints:</c> → <c>serve:</c>) holds options for that command and the
/// commands under it. One precedence: option &gt; environment &gt; file &gt; default. The whole file
/// is checked when any command starts: an unknown key, or a value that is not a scalar (or a list
/// for a repeatable option), stops the command with exit code 2 naming the key and its line.
/// </summary>
internal sealed class ConfigFile
{
    /// <summary>The default location, <c>~/.keel/config.yaml</c>.</summary>
    public static string DefaultPath => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".keel", "config.yaml");

    private ConfigFile(string path, IReadOnlyList<ConfigSetting> settings)
    {
        FilePath = path;
        Settings = settings;
    }

    /// <summary>What this process did with its config file (set as a command line starts); null before.</summary>
    public static ConfigFileState? Loaded { get; set; }

    /// <summary>The file read.</summary>
    public string FilePath { get; }

    /// <summary>Every setting in it, in file order.</summary>
    public IReadOnlyList<ConfigSetting> Settings { get; }

    /// <summary>Dashes and underscores alike, lower case.</summary>
    public static string Normalize(string key) => key.Trim().Replace('-', '_').ToLowerInvariant();

    /// <summary>
    /// The config file to read: the one given (<c>--config</c>), else <c>KEEL_CONFIG</c>, else the
    /// default when it exists; null when there is none. A file named explicitly must exist.
    /// </summary>
    /// <param name="explicitPath">The <c>--config</c> value, or null.</param>
    public static ConfigFile? Find(string? explicitPath)
    {
        var (path, from) = explicitPath is { Length: > 0 } given ? (given, "--config")
            : KeelEnvironment.Text(KeelEnvironment.ConfigFile) is { } env ? (env, KeelEnvironment.ConfigFile)
            : (DefaultPath, null);
        path = HomePath(path);
        if (!File.Exists(path))
        {
            return from is null ? null : throw new ConfigFileException($"The config file {path} (from {from}) does not exist.");
        }

        return Read(path);
    }

    /// <summary>Reads and checks the shape of a config file (keys are checked against a command tree by <see cref="Check"/>).</summary>
    /// <param name="path">The file.</param>
    public static ConfigFile Read(string path)
    {
        var yaml = new YamlStream();
        try
        {
            using var reader = new StreamReader(path);
            yaml.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new ConfigFileException($"The config file {path} is not valid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.InnerException?.Message ?? e.Message}");
        }
        catch (IOException e)
        {
            throw new ConfigFileException($"The config file {path} cannot be read: {e.Message}");
        }

        var settings = new List<ConfigSetting>();
        if (yaml.Documents.Count == 0 || yaml.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
        {
            return new ConfigFile(path, settings); // an empty file sets nothing
        }

        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new ConfigFileException($"The config file {path} must be a mapping of keys to values (e.g. `data_dir: ~/keel-data`).");
        }

        Collect(path, root, string.Empty, settings);
        return new ConfigFile(path, settings);
    }

    private static void Collect(string path, YamlMappingNode mapping, string section, List<ConfigSetting> settings)
    {
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? throw new ConfigFileException($"{path} line {keyNode.Start.Line}: a key must be a plain name.");
            var line = (int)keyNode.Start.Line;
            switch (valueNode)
            {
                case YamlMappingNode inner:
                    // A section: the options of a command (and the commands under it).
                    Collect(path, inner, section.Length == 0 ? key.Trim() : section + " " + key.Trim(), settings);
                    break;
                case YamlSequenceNode list:
                    var values = new List<string>();
                    foreach (var item in list.Children)
                    {
                        values.Add((item as YamlScalarNode)?.Value ?? throw new ConfigFileException($"{path} line {item.Start.Line}: {key} must be a list of plain values."));
                    }

                    settings.Add(new ConfigSetting(key, section, values, line));
                    break;
                case YamlScalarNode scalar:
                    settings.Add(new ConfigSetting(key, section, [scalar.Value ?? string.Empty], line));
                    break;
                default:
                    throw new ConfigFileException($"{path} line {line}: {key} must be a value.");
            }
        }
    }

    /// <summary>
    /// Checks every key against the known variables and the command tree: each top-level key is a
    /// variable's key or an option of some command; each section names a command and holds its
    /// options. Throws naming every unknown key, with the nearest known one.
    /// </summary>
    /// <param name="root">The command tree.</param>
    public void Check(RootCommand root)
    {
        var problems = new List<string>();
        var everyOption = AllCommands(root).SelectMany(c => c.Command.Options).Select(o => OptionKey(o)).Where(k => k is not null).Select(k => k!).ToHashSet(StringComparer.Ordinal);
        var variables = KeelEnvironment.Known.Select(v => v.ConfigKey).ToHashSet(StringComparer.Ordinal);
        foreach (var setting in Settings)
        {
            var key = setting.Normalized;
            if (key is "config")
            {
                problems.Add($"{setting.Where}: the config file cannot name another config file.");
                continue;
            }

            if (setting.Section.Length == 0)
            {
                if (!variables.Contains(key) && !everyOption.Contains(key))
                {
                    problems.Add($"{setting.Where}: unknown key '{setting.Key}'{Suggest(key, variables.Concat(everyOption).Concat(root.Subcommands.Select(c => c.Name)))}.");
                }
                else if (setting.Values.Count != 1 && (variables.Contains(key) || !AllCommands(root).SelectMany(c => c.Command.Options).Any(o => OptionKey(o) == key && o.Arity.MaximumNumberOfValues > 1)))
                {
                    problems.Add($"{setting.Where}: '{setting.Key}' takes one value, not a list.");
                }

                continue;
            }

            var command = FindCommand(root, setting.Section);
            if (command is null)
            {
                problems.Add($"{setting.Where}: unknown command '{setting.Section}'{Suggest(setting.Section, AllCommands(root).Select(c => c.Path).Where(p => p.Length > 0))}.");
                continue;
            }

            var options = AllCommands(command, setting.Section).SelectMany(c => c.Command.Options).Select(o => OptionKey(o)).Where(k => k is not null).Select(k => k!).ToHashSet(StringComparer.Ordinal);
            if (!options.Contains(key))
            {
                problems.Add($"{setting.Where}: `keel {setting.Section}` has no option --{key.Replace('_', '-')}{Suggest(key, options)}.");
            }
        }

        if (problems.Count > 0)
        {
            throw new ConfigFileException($"The config file {FilePath} has {(problems.Count == 1 ? "a problem" : $"{problems.Count} problems")}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems));
        }
    }

    // Variables read after another when it is unset (KEEL_TRACKING_URI, then MLFLOW_TRACKING_URI):
    // the file setting the first must not hide the environment's second, or the file would win.
    private static readonly Dictionary<string, string[]> FallsBackTo = new(StringComparer.Ordinal)
    {
        [KeelEnvironment.TrackingUri] = [KeelEnvironment.MlflowTrackingUri],
        [KeelEnvironment.TlsCa] = [KeelEnvironment.MlflowServerCertPath],
        ["AWS_DEFAULT_REGION"] = ["AWS_REGION"],
    };

    /// <summary>
    /// Sets the variables the file names and the environment leaves unset (the environment wins,
    /// also through a variable read in its place, such as MLFLOW_TRACKING_URI for tracking_uri).
    /// </summary>
    public void ApplyVariables()
    {
        foreach (var setting in Settings.Where(s => s.Section.Length == 0))
        {
            if (KeelEnvironment.Known.FirstOrDefault(v => v.ConfigKey == setting.Normalized) is { } variable
                && !(FallsBackTo.TryGetValue(variable.Name, out var fallbacks) && fallbacks.Any(f => KeelEnvironment.Text(f) is not null && KeelEnvironment.FileSource(f) is null)))
            {
                KeelEnvironment.SetFromFile(variable.Name, ExpandHome(setting.Values[0], variable.Name), $"{setting.Key} in {FilePath} (as {variable.Name})");
            }
        }
    }

    /// <summary>
    /// The command line with the file's option settings added for the options of the command run
    /// that the command line leaves out (an option given wins). Variables' keys are not options here:
    /// they act through the environment, so the environment wins over them.
    /// </summary>
    /// <param name="args">The command line.</param>
    /// <param name="parsed">Its parse.</param>
    public string[] AddOptions(string[] args, ParseResult parsed)
    {
        var path = CommandPath(parsed.CommandResult);
        var variables = KeelEnvironment.Known.Select(v => v.ConfigKey).ToHashSet(StringComparer.Ordinal);
        // The most specific section wins: `server: {port: 1}` over a top-level `port: 2`.
        var chosen = new Dictionary<string, ConfigSetting>(StringComparer.Ordinal);
        foreach (var setting in Settings.Where(s => s.Section.Length == 0 || path == s.Section || path.StartsWith(s.Section + " ", StringComparison.Ordinal)).OrderBy(s => s.Section.Length))
        {
            if (setting.Section.Length == 0 && variables.Contains(setting.Normalized))
            {
                continue;
            }

            // In a section a variable's key is an option (`server: {backend_store_uri: ...}`), but the
            // environment still wins over the file: KEEL_BACKEND_STORE_URI set beats it.
            if (KeelEnvironment.Known.FirstOrDefault(v => v.ConfigKey == setting.Normalized) is { } variable
                && KeelEnvironment.Text(variable.Name) is not null && KeelEnvironment.FileSource(variable.Name) is null)
            {
                chosen.Remove(setting.Normalized);
                continue;
            }

            chosen[setting.Normalized] = setting;
        }

        var added = new List<string>();
        foreach (var option in parsed.CommandResult.Command.Options.Concat(Ancestors(parsed.CommandResult).SelectMany(c => c.Options.Where(o => o.Recursive))))
        {
            if (OptionKey(option) is not { } key || !chosen.TryGetValue(key, out var setting) || parsed.GetResult(option) is { Implicit: false })
            {
                continue;
            }

            foreach (var value in setting.Values)
            {
                added.Add(option.Name);
                added.Add(PathOptions.Contains(key) ? HomePath(value) : value);
            }
        }

        if (added.Count == 0)
        {
            return args;
        }

        // Options go before a `--`, after which every token is an argument.
        var end = Array.IndexOf(args, "--");
        return end < 0 ? [.. args, .. added] : [.. args[..end], .. added, .. args[end..]];
    }

    /// <summary>The config key of an option: its long name without dashes (<c>--data-dir</c> → <c>data_dir</c>).</summary>
    public static string? OptionKey(Option option) =>
        option.Name.StartsWith("--", StringComparison.Ordinal) && option.Name != "--config" && option is not System.CommandLine.Help.HelpOption and not VersionOption ? Normalize(option.Name[2..]) : null;

    private static IEnumerable<Command> Ancestors(System.CommandLine.Parsing.CommandResult result)
    {
        for (var parent = result.Parent as System.CommandLine.Parsing.CommandResult; parent is not null; parent = parent.Parent as System.CommandLine.Parsing.CommandResult)
        {
            yield return parent.Command;
        }
    }

    private static string CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new List<string>();
        for (var r = result; r is not null && r.Parent is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, r.Command.Name);
        }

        return string.Join(' ', names);
    }

    private static Command? FindCommand(Command root, string path)
    {
        var command = root;
        foreach (var name in path.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            command = command.Subcommands.FirstOrDefault(c => c.Name == name || c.Aliases.Contains(name));
            if (command is null)
            {
                return null;
            }
        }

        return command;
    }

    private static IEnumerable<(string Path, Command Command)> AllCommands(Command command, string path = "")
    {
        yield return (path, command);
        foreach (var sub in command.Subcommands)
        {
            foreach (var inner in AllCommands(sub, path.Length == 0 ? sub.Name : path + " " + sub.Name))
            {
                yield return inner;
            }
        }
    }

    private static string Suggest(string key, IEnumerable<string> known) =>
        DidYouMean.Nearest(key, known) is { } best ? $" (did you mean '{best}'?)" : string.Empty;

    // Options whose value is a file or directory (or a URI that may be a plain path): a leading ~ in
    // the file is the home directory, as a shell would expand it on the command line. Other values
    // (passwords, URIs, names) are passed as written.
    private static readonly HashSet<string> PathOptions = new(StringComparer.Ordinal)
    {
        "data_dir", "artifacts_destination", "default_artifact_root", "prediction_log", "tls_cert", "tls_key", "dest", "out", "file",
        "output", // a format for most commands (never starts with ~), the output file of predict and features get-historical
    };

    // Variables whose value is a file or directory: a leading ~ is the home directory.
    private static readonly HashSet<string> PathVariables = new(StringComparer.Ordinal)
    {
        KeelEnvironment.DataDir, KeelEnvironment.ConfigFile, "KEEL_CREDENTIALS_FILE", KeelEnvironment.TlsCert, KeelEnvironment.TlsKey, KeelEnvironment.TlsCa,
        KeelEnvironment.MlflowServerCertPath, "KEEL_OPENLINEAGE_FILE", "KEEL_UI_DIR", "KEEL_SCORER_DIR",
    };

    // A leading ~ is the home directory, in the file as on the command line.
    internal static string HomePath(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.Length > 2 ? path[2..] : string.Empty)
            : path;

    private static string ExpandHome(string value, string variable) => PathVariables.Contains(variable) ? HomePath(value) : value;
}

/// <summary>What the running command did with the config file, for <c>keel doctor</c>.</summary>
/// <param name="Path">The file read; null when there is none.</param>
/// <param name="Settings">How many settings it holds.</param>
/// <param name="Problem">Why it could not be used; null when it was.</param>
internal sealed record ConfigFileState(string? Path, int Settings, string? Problem);

/// <summary>A config file that cannot be used: exit code 2, the message names the file, key and line.</summary>
internal sealed class ConfigFileException(string message) : Exception(message);
