using System.CommandLine;

namespace Keel.Cli.Infrastructure;

/// <summary>
/// Puts the options a user most needs first in every command's help: required options, then the command's own
/// options as declared, then the options that only say where the data is and how to print it
/// (--tracking-uri, --data-dir, --output), which many commands share through <see cref="StoreOptions"/>.
/// Done once over the whole tree so that no command has to remember it.
/// </summary>
internal static class OptionOrder
{
    private static readonly string[] SharedLast = ["--tracking-uri", "--data-dir", "--output"];

    public static void Apply(Command root)
    {
        foreach (var (_, command) in CommandTree.Walk(root))
        {
            var ordered = command.Options
                .Select((option, index) => (option, index))
                .OrderBy(o => Rank(o.option))
                .ThenBy(o => o.index)
                .Select(o => o.option)
                .ToList();
            if (ordered.SequenceEqual(command.Options))
            {
                continue;
            }

            // System.CommandLine has no way to reorder in place. Re-adding lists the command twice in the option's
            // Parents, which parsing and help do not mind (HelpTests parses every example against this tree).
            foreach (var option in ordered)
            {
                command.Options.Remove(option);
                command.Options.Add(option);
            }
        }
    }

    private static int Rank(Option option)
    {
        var shared = IsShared(option);
        if (shared >= 0)
        {
            return 2 + shared;
        }

        return option.Required ? 0 : 1;
    }

    // --output is shared only as the table|json switch: `keel data get --output DIR` names the command's own target.
    private static int IsShared(Option option) =>
        option.Name == "--output" && option.ValueType != typeof(OutputFormat) ? -1 : Array.IndexOf(SharedLast, option.Name);
}
