namespace Keel.Cli.Infrastructure;

/// <summary>
/// Paragraphs `--help` shows under a command's one-line description, by command path ("" is the root): what the
/// one line leaves out. Kept apart from the commands so their descriptions stay one sentence.
/// </summary>
internal static class CommandDetails
{
    public static readonly IReadOnlyDictionary<string, string[]> All = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
    };
}
