using Spectre.Console;

namespace Keel.Cli.Infrastructure;

/// <summary>A column of a <see cref="CliTable"/>: its header, what it holds and how much it matters.</summary>
/// <param name="Header">The header, in markup; it may wrap at its spaces but is never cut.</param>
/// <param name="Kind">What the column holds.</param>
/// <param name="Priority">Higher is kept longer: when even shortening cannot fit the width, the lowest priority goes first (ties: the rightmost). The first column is never dropped.</param>
/// <param name="Alignment">Where values sit in the column.</param>
internal sealed record CliColumn(string Header, ColumnKind Kind, int Priority = 0, Justify Alignment = Justify.Left)
{
    /// <summary>A value never split: ids, states, numbers, times.</summary>
    public static CliColumn Short(string header, int priority = 0) => new(header, ColumnKind.Short, priority);

    /// <summary>A number, right-aligned, never split.</summary>
    public static CliColumn Number(string header, int priority = 0) => new(header, ColumnKind.Short, priority, Justify.Right);

    /// <summary>Free text that may wrap.</summary>
    public static CliColumn Text(string header, int priority = 0) => new(header, ColumnKind.Text, priority);

    /// <summary>A URI or path, shortened in the middle when narrow.</summary>
    public static CliColumn Uri(string header, int priority = 0) => new(header, ColumnKind.Uri, priority);
}
