using Keel.Core.Data;
using Keel.Data.Content;

namespace Keel.Application.Data;

/// <summary>How two dataset versions differ: files, and for tables the columns and row counts.</summary>
/// <param name="From">The older side.</param>
/// <param name="To">The newer side.</param>
/// <param name="Files">Added, removed and changed files.</param>
/// <param name="AddedColumns">Columns only in <paramref name="To"/>, with their types.</param>
/// <param name="RemovedColumns">Columns only in <paramref name="From"/>.</param>
/// <param name="ChangedTypes">Columns in both whose type changed: name, old type, new type.</param>
public sealed record DatasetDiff(
    DatasetVersion From,
    DatasetVersion To,
    ManifestComparison Files,
    IReadOnlyList<(string Name, string Type)> AddedColumns,
    IReadOnlyList<(string Name, string Type)> RemovedColumns,
    IReadOnlyList<(string Name, string From, string To)> ChangedTypes)
{
    /// <summary>Rows added (negative: removed), when both sides are tables.</summary>
    public long? RowDelta => From.RowCount is { } a && To.RowCount is { } b ? b - a : null;
}
