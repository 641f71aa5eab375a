using System.CommandLine;
using System.CommandLine.Help;
using System.Text;

namespace Keel.Cli.Infrastructure;

/// <summary>
/// What `--help` shows beyond System.CommandLine's default: a command's details under its one-line description
/// (<see cref="CommandDetails"/>), the root's commands grouped by stage of the loop, and an "Examples:" section
/// (<see cref="CommandExamples"/>; System.CommandLine has none).
/// </summary>
internal static class KeelHelp
{
    /// <summary>The root's commands by stage of the loop, in the order a newcomer meets them.</summary>
    public static readonly IReadOnlyList<(string Title, string[] Commands)> RootGroups =
    [
        ("Start here", ["quickstart", "server", "ui", "login", "logout"]),
        ("Track, train and register", ["experiments", "runs", "train", "models"]),
        ("Data and features", ["data", "features", "lineage"]),
        ("Serve and roll out", ["endpoints", "predict", "package", "deploy"]),
        ("Monitor and alert", ["monitor", "alerts"]),
        ("Automate", ["pipelines", "worker"]),
        ("Govern", ["environments", "approvals", "users", "tokens", "groups", "roles", "permissions", "audit"]),
        ("Check and set up", ["doctor", "completion"]),
    ];

    /// <summary>Puts <see cref="KeelHelpAction"/> on <paramref name="root"/>'s help option, which serves every command.</summary>
    public static void Configure(RootCommand root)
    {
        var help = root.Options.OfType<HelpOption>().Single();
        if (help.Action is not HelpAction action)
        {
            throw new InvalidOperationException("The root's help option has no HelpAction to extend.");
        }

        help.Action = new KeelHelpAction(action);
    }

    /// <summary>The default help text of <paramref name="command"/> with Keel's details, groups and examples added.</summary>
    public static string Complete(string defaultHelp, Command command, int width)
    {
        var lines = defaultHelp.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').ToList();
        var path = CommandTree.PathOf(command);
        if (CommandDetails.All.TryGetValue(path, out var details))
        {
            InsertDetails(lines, details, width);
        }

        if (command is RootCommand)
        {
            GroupCommands(lines);
            MoveToEnd(lines, "Options:");
        }

        if (CommandExamples.All.TryGetValue(path, out var examples))
        {
            lines.Add(string.Empty);
            lines.Add("Examples:");
            for (var i = 0; i < examples.Length; i++)
            {
                if (i > 0)
                {
                    lines.Add(string.Empty);
                }

                lines.Add("  # " + examples[i].Comment);
                lines.Add("  " + examples[i].Line);
            }
        }

        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append(Environment.NewLine);
        }

        return text.Append(Environment.NewLine).ToString();
    }

    // The description block ends at the blank line before "Usage:".
    private static void InsertDetails(List<string> lines, string[] details, int width)
    {
        var usage = lines.IndexOf("Usage:");
        if (usage < 1)
        {
            return;
        }

        var insert = new List<string>();
        foreach (var paragraph in details)
        {
            insert.AddRange(Wrap(paragraph, width - 2).Select(l => "  " + l));
            insert.Add(string.Empty);
        }

        lines.InsertRange(usage, insert);
    }

    // System.CommandLine writes the root's commands as one "Commands:" table (a row starts at two spaces of
    // indent; its wrapped continuation lines are indented further). The rows are regrouped as they are, so the
    // columns stay aligned; a command missing from RootGroups lands under "Other commands" rather than vanish.
    private static void GroupCommands(List<string> lines)
    {
        var start = lines.IndexOf("Commands:");
        if (start < 0)
        {
            return;
        }

        var end = start + 1;
        while (end < lines.Count && lines[end].Length > 0)
        {
            end++;
        }

        var rows = new List<(string Name, List<string> Lines)>();
        foreach (var line in lines.Skip(start + 1).Take(end - start - 1))
        {
            if (line.Length > 2 && line[2] != ' ')
            {
                rows.Add((line.Trim().Split(' ', ',')[0], [line]));
            }
            else if (rows.Count > 0)
            {
                rows[^1].Lines.Add(line);
            }
        }

        var grouped = new List<string>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (title, names) in RootGroups)
        {
            AddGroup(grouped, title, rows.Where(r => names.Contains(r.Name)).OrderBy(r => Array.IndexOf(names, r.Name)), placed);
        }

        AddGroup(grouped, "Other commands", rows.Where(r => !placed.Contains(r.Name)), placed);
        lines.RemoveRange(start, end - start);
        lines.InsertRange(start, grouped.Take(grouped.Count - 1));
    }

    // The root's only options are --help and --version: its commands come first.
    private static void MoveToEnd(List<string> lines, string heading)
    {
        var start = lines.IndexOf(heading);
        if (start < 0)
        {
            return;
        }

        var end = start + 1;
        while (end < lines.Count && lines[end].Length > 0)
        {
            end++;
        }

        var section = lines.GetRange(start, end - start);
        lines.RemoveRange(start, Math.Min(end + 1, lines.Count) - start);
        lines.Add(string.Empty);
        lines.AddRange(section);
    }

    private static void AddGroup(List<string> output, string title, IEnumerable<(string Name, List<string> Lines)> rows, HashSet<string> placed)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }

        output.Add(title + ":");
        foreach (var row in list)
        {
            output.AddRange(row.Lines);
            placed.Add(row.Name);
        }

        output.Add(string.Empty);
    }

    // Details are prose paragraphs, wrapped at spaces to the help's width.
    private static IEnumerable<string> Wrap(string text, int width)
    {
        width = Math.Max(width, 40);
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            if (line.Length > 0)
            {
                line.Append(' ');
            }

            line.Append(word);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }
}
