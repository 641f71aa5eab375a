namespace Keel.Cli.Tests;

/// <summary>The CLI opens its stores through Keel.Hosting; the web host is for `keel server`, `keel ui` (which serves the data dir when no server runs) and the quickstart alone.</summary>
public sealed class CompositionTests
{
    private static readonly string[] WebHostCommands = ["Commands/Server/", "Commands/Ui/", "Commands/Quickstart/"];

    [Fact]
    public void Only_the_server_ui_and_quickstart_commands_use_the_web_host()
    {
        var root = RepoRoot();
        var cli = Path.Combine(root, "src", "Keel.Cli");
        var offenders = Directory.EnumerateFiles(cli, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(cli, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .Where(f => !WebHostCommands.Any(c => f.StartsWith(c, StringComparison.Ordinal)))
            .Where(f => File.ReadAllText(Path.Combine(cli, f)).Contains("Keel.Server", StringComparison.Ordinal))
            .ToList();

        Assert.True(offenders.Count == 0, "These CLI files use Keel.Server instead of Keel.Hosting: " + string.Join(", ", offenders));
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Keel.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Keel.slnx not found above " + AppContext.BaseDirectory);
    }
}
