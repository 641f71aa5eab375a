using Keel.Cli.Infrastructure;

namespace Keel.Cli.Tests;

/// <summary>
/// The config file against the real command tree: which keys it accepts, how it reports the ones
/// it does not, and which option values it adds to a command line (never over one given).
/// </summary>
public sealed class ConfigFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keel-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ConfigFile Load(string yaml)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, yaml);
        return ConfigFile.Read(path);
    }

    [Fact]
    public void Variables_options_and_sections_of_real_commands_are_accepted()
    {
        var config = Load("""
            data_dir: /tmp/keel
            MLFLOW_S3_ENDPOINT_URL: http://127.0.0.1:9000
            monitoring-bucket-seconds: 60
            port: 5001
            server:
              host: 0.0.0.0
              allowed_hosts: keel.internal
            models:
              list:
                output: json
            """);
        config.Check(KeelCommandLine.Build());
        Assert.Equal(["data_dir", "mlflow_s3_endpoint_url", "monitoring_bucket_seconds", "port", "host", "allowed_hosts", "output"], config.Settings.Select(s => s.Normalized));
        Assert.Equal(["", "", "", "", "server", "server", "models list"], config.Settings.Select(s => s.Section));
    }

    [Fact]
    public void Every_unknown_key_is_named_with_its_line_and_the_nearest_known_one()
    {
        var config = Load("""
            data_dri: /tmp/keel
            server:
              prot: 5000
            modles:
              output: json
            config: other.yaml
            """);
        var error = Assert.Throws<ConfigFileException>(() => config.Check(KeelCommandLine.Build()));
        Assert.Contains("4 problems", error.Message, StringComparison.Ordinal);
        Assert.Contains("data_dri (line 1): unknown key 'data_dri' (did you mean 'data_dir'?)", error.Message, StringComparison.Ordinal);
        Assert.Contains("server.prot (line 3): `keel server` has no option --prot (did you mean 'port'?)", error.Message, StringComparison.Ordinal);
        Assert.Contains("modles.output (line 5): unknown command 'modles' (did you mean 'models'?)", error.Message, StringComparison.Ordinal);
        Assert.Contains("config (line 6): the config file cannot name another config file", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, CliErrors.Classify(error).ExitCode);
    }

    [Theory]
    [InlineData("port: [1, 2]\n", "'port' takes one value, not a list")]
    [InlineData("data_dir: []\n", "'data_dir' takes one value, not a list")]
    [InlineData("- data_dir\n", "must be a mapping of keys to values")]
    [InlineData("data_dir: [unclosed\n", "not valid YAML at line")]
    public void A_file_of_the_wrong_shape_is_refused(string yaml, string expected)
    {
        var error = Assert.ThrowsAny<ConfigFileException>(() => Load(yaml).Check(KeelCommandLine.Build()));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_most_specific_section_fills_in_and_an_option_given_wins()
    {
        var root = KeelCommandLine.Build();
        var config = Load("""
            port: 6000
            server:
              port: 7000
              host: 0.0.0.0
            experiments:
              output: json
            data_dir: /never/an/option
            """);
        config.Check(root);

        string[] server = ["server"];
        Assert.Equal(["server", "--port", "7000", "--host", "0.0.0.0"], Sorted(config.AddOptions(server, root.Parse(server)), 1));
        string[] given = ["server", "--port", "1234"];
        Assert.Equal(["server", "--port", "1234", "--host", "0.0.0.0"], config.AddOptions(given, root.Parse(given)));

        // A variable's key acts through the environment, never as an option; a section applies
        // to its command and the commands under it only.
        string[] list = ["experiments", "list"];
        Assert.Equal(["experiments", "list", "--output", "json"], config.AddOptions(list, root.Parse(list)));
        string[] models = ["models", "list"];
        Assert.Equal(models, config.AddOptions(models, root.Parse(models)));

        // After `--` every token is an argument, so the file's options go before it.
        string[] dashed = ["experiments", "create", "--", "-neg"];
        Assert.Equal(["experiments", "create", "--output", "json", "--", "-neg"], config.AddOptions(dashed, root.Parse(dashed)));
    }

    [Fact]
    public void A_leading_tilde_is_the_home_directory_in_path_options_only()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        var config = Load("""
            server:
              artifacts_destination: ~/keel-artifacts
              tls_key: "~/keys/server.pem"
              allowed_hosts: ~/not-a-path
            models:
              download:
                dest: ~/models/churn
            """);
        var root = KeelCommandLine.Build();
        config.Check(root);

        string[] server = ["server"];
        var added = config.AddOptions(server, root.Parse(server));
        Assert.Equal(Path.Combine(home, "keel-artifacts"), added[Array.IndexOf(added, "--artifacts-destination") + 1]);
        Assert.Equal(Path.Combine(home, "keys", "server.pem"), added[Array.IndexOf(added, "--tls-key") + 1]);
        Assert.Equal("~/not-a-path", added[Array.IndexOf(added, "--allowed-hosts") + 1]);

        string[] download = ["models", "download", "models:/churn/1"];
        Assert.Equal(["models", "download", "models:/churn/1", "--dest", Path.Combine(home, "models", "churn")], config.AddOptions(download, root.Parse(download)));
    }

    // Options in a stable order after the first `skip` tokens (pairs sorted by option name).
    private static string[] Sorted(string[] args, int skip) =>
        [.. args.Take(skip), .. args.Skip(skip).Chunk(2).OrderByDescending(p => p[0], StringComparer.Ordinal).SelectMany(p => p)];
}
