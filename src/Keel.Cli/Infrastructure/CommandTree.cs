using System.CommandLine;

namespace Keel.Cli.Infrastructure;

/// <summary>Walks the command tree: every command with its path ("models versions"), root first.</summary>
internal static class CommandTree
{
    /// <summary>Every command under <paramref name="root"/>, depth first, with its path from the root ("" for the root).</summary>
    public static IEnumerable<(string Path, Command Command)> Walk(Command root)
    {
        var pending = new Stack<(string, Command)>();
        pending.Push((string.Empty, root));
        while (pending.Count > 0)
        {
            var (path, command) = pending.Pop();
            yield return (path, command);
            foreach (var sub in command.Subcommands.Reverse())
            {
                pending.Push((path.Length == 0 ? sub.Name : path + " " + sub.Name, sub));
            }
        }
    }

    /// <summary>The path of <paramref name="command"/> from the root ("models versions"); "" for the root.</summary>
    public static string PathOf(Command command)
    {
        var names = new List<string>();
        var current = command;
        while (current is not null && current is not RootCommand)
        {
            names.Add(current.Name);
            current = current.Parents.OfType<Command>().FirstOrDefault();
        }

        names.Reverse();
        return string.Join(' ', names);
    }
}
