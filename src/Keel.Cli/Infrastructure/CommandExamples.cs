namespace Keel.Cli.Infrastructure;

/// <summary>One example in a command's help: a short comment and a command line that parses against the tree.</summary>
internal sealed record CommandExample(string Comment, string Line);

/// <summary>
/// The examples `--help` shows under "Examples:", by command path ("models versions"). Kept in one place so a
/// test can parse every line against the real tree: an example that stops parsing fails the build.
/// </summary>
internal static class CommandExamples
{
    public static readonly IReadOnlyDictionary<string, CommandExample[]> All = new Dictionary<string, CommandExample[]>(StringComparer.Ordinal)
    {
    };
}
