namespace Keel.Cli.Tests.Help;

/// <summary>A test that runs a shell: skipped, saying so, when the shell is not installed on this machine.</summary>
public sealed class ShellFactAttribute : FactAttribute
{
    public ShellFactAttribute(string shell)
    {
        Skip = Shells.Find(shell) is null ? $"{shell} is not installed: this test runs keel's {shell} completion script in a real {shell}." : null;
    }
}

/// <summary>Finds shells on PATH.</summary>
public static class Shells
{
    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
