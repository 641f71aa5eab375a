using Spectre.Console;

namespace Keel.Cli.Infrastructure;

/// <summary>
/// The one way <c>keel</c> prints a table, built on Spectre.Console's <see cref="Table"/>: each
/// column says what it holds (<see cref="ColumnKind"/>), and the table is laid out for the width
/// <see cref="CliConsole.TableWidth"/> gives. Short values get their full width, text wraps, URIs are
/// shortened in the middle, and when even that does not fit, the least important columns are left
/// out (and named under the table). Spectre's own shrinking would split ids and cut headers to
/// "Seve…", which is why the widths are decided here and handed to Spectre fixed.
/// </summary>
internal sealed class CliTable
{
    // A rounded border: one edge cell on the left plus, per column, one padding cell each side and
    // one border cell after it.
    private const int EdgeCells = 1;
    private const int CellsPerColumn = 3;

    // Text and URI columns are never squeezed below this unless their content is shorter.
    private const int FlexibleFloor = 12;

    private readonly List<CliColumn> columns;
    private readonly List<string[]> rows = [];

    public CliTable(params CliColumn[] columns) => this.columns = [.. columns];

    /// <summary>Adds a column; only before the first row.</summary>
    public CliTable AddColumn(CliColumn column)
    {
        if (rows.Count > 0)
        {
            throw new InvalidOperationException("columns are added before rows");
        }

        columns.Add(column);
        return this;
    }

    /// <summary>A title above the table, in markup.</summary>
    public string? Title { get; init; }

    public bool ShowHeaders { get; init; } = true;

    /// <summary>Adds a row of cells in Spectre markup (escape plain text with <see cref="Markup.Escape"/>).</summary>
    public CliTable AddRow(params string[] cells)
    {
        if (cells.Length != columns.Count)
        {
            throw new ArgumentException($"a row of {columns.Count} cells expected, got {cells.Length}", nameof(cells));
        }

        rows.Add(cells);
        return this;
    }

    /// <summary>Adds a row with nothing in it, to separate sections.</summary>
    public CliTable AddEmptyRow() => AddRow([.. columns.Select(_ => string.Empty)]);

    public int RowCount => rows.Count;

    /// <summary>Writes the table to stdout, fitted to <see cref="CliConsole.TableWidth"/>.</summary>
    public void Write() => Write(AnsiConsole.Console, CliConsole.TableWidth());

    /// <summary>Writes the table to <paramref name="console"/> within <paramref name="maxWidth"/> cells; null for no limit (full values).</summary>
    public void Write(IAnsiConsole console, int? maxWidth)
    {
        var (visible, widths) = Layout(maxWidth);
        var table = new Table().Border(TableBorder.Rounded);
        if (Title is not null)
        {
            table.Title(Title);
        }

        if (!ShowHeaders)
        {
            table.HideHeaders();
        }

        foreach (var (index, width) in visible.Zip(widths))
        {
            var column = columns[index];
            table.AddColumn(new TableColumn(column.Header) { Width = width, Alignment = column.Alignment });
        }

        foreach (var row in rows)
        {
            table.AddRow([.. visible.Zip(widths).Select(c => Cell(columns[c.First].Kind, row[c.First], c.Second))]);
        }

        var hidden = Enumerable.Range(0, columns.Count).Except(visible).Select(i => Markup.Remove(columns[i].Header).Replace('\n', ' ')).ToList();
        if (hidden.Count > 0)
        {
            table.Caption(Markup.Escape($"Not shown (too narrow): {string.Join(", ", hidden)}. Widen the terminal or use -o json."));
        }

        // Spectre shrinks a table to the console's width (80 when stdout is redirected); the widths
        // above already fit maxWidth, so the console must not squeeze them further.
        var needed = widths.Sum() + (CellsPerColumn * visible.Count) + EdgeCells;
        var saved = console.Profile.Width;
        if (console.Profile.Width < needed)
        {
            console.Profile.Width = needed;
        }

        try
        {
            console.Write(table);
        }
        finally
        {
            console.Profile.Width = saved;
        }
    }

    /// <summary>The columns shown and the width of each, in cells.</summary>
    internal (List<int> Visible, List<int> Widths) Layout(int? maxWidth)
    {
        var plain = rows.Select(r => r.Select(c => Markup.Remove(c)).ToArray()).ToList();
        var natural = new int[columns.Count];
        var minimum = new int[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var header = ShowHeaders ? Markup.Remove(columns[i].Header) : string.Empty;
            var longestValue = plain.Select(r => LongestLine(r[i])).DefaultIfEmpty(0).Max();
            var headerWord = header.Split(' ', '\n').Select(w => w.GetCellWidth()).DefaultIfEmpty(0).Max();
            natural[i] = Math.Max(1, Math.Max(LongestLine(header), longestValue));
            minimum[i] = columns[i].Kind == ColumnKind.Short
                ? Math.Max(1, Math.Max(headerWord, longestValue))
                : Math.Min(natural[i], Math.Max(headerWord, FlexibleFloor));
        }

        var visible = Enumerable.Range(0, columns.Count).ToList();
        if (maxWidth is not { } max)
        {
            return (visible, [.. visible.Select(i => natural[i])]);
        }

        int Room() => max - EdgeCells - (CellsPerColumn * visible.Count);
        while (visible.Count > 1 && visible.Sum(i => minimum[i]) > Room())
        {
            var drop = visible.Skip(1).OrderBy(i => columns[i].Priority).ThenByDescending(i => i).First();
            visible.Remove(drop);
        }

        var widths = visible.ToDictionary(i => i, i => minimum[i]);
        var spare = Room() - widths.Values.Sum();
        while (spare > 0)
        {
            // One cell at a time to the column furthest from its natural width: few columns, few cells.
            var wanting = visible.Where(i => widths[i] < natural[i]).OrderByDescending(i => natural[i] - widths[i]).FirstOrDefault(-1);
            if (wanting < 0)
            {
                break;
            }

            widths[wanting]++;
            spare--;
        }

        return (visible, [.. visible.Select(i => widths[i])]);
    }

    private static int LongestLine(string text) => text.Split('\n').Select(l => l.GetCellWidth()).DefaultIfEmpty(0).Max();

    private static string Cell(ColumnKind kind, string markup, int width)
    {
        if (kind != ColumnKind.Uri)
        {
            return markup;
        }

        var plain = Markup.Remove(markup);
        return plain.GetCellWidth() <= width ? markup : Markup.Escape(TextFit.ShortenMiddle(plain, width));
    }
}
