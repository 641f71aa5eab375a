using Keel.Core.Errors;

namespace Keel.ML.Data;

/// <summary>
/// A light columnar batch of rows: named typed columns of equal row count. It is the input of
/// <see cref="IModel.Predict"/> and the unit the batch predictor streams through.
/// </summary>
public sealed class ColumnBatch
{
    private readonly List<BatchColumn> _columns;
    private readonly Dictionary<string, BatchColumn> _byName;

    /// <summary>Creates a batch; every column must have the same row count and a distinct name.</summary>
    public ColumnBatch(IEnumerable<BatchColumn> columns)
    {
        _columns = [.. columns];
        _byName = new Dictionary<string, BatchColumn>(StringComparer.Ordinal);
        foreach (var c in _columns)
        {
            if (!_byName.TryAdd(c.Name, c))
            {
                throw KeelException.InvalidParameter($"Column '{c.Name}' appears more than once.");
            }
        }

        RowCount = _columns.Count == 0 ? 0 : _columns[0].RowCount;
        if (_columns.FirstOrDefault(c => c.RowCount != RowCount) is { } bad)
        {
            throw KeelException.InvalidParameter($"Column '{bad.Name}' has {bad.RowCount} rows; expected {RowCount}.");
        }
    }

    /// <summary>Creates a batch from columns.</summary>
    public ColumnBatch(params BatchColumn[] columns)
        : this((IEnumerable<BatchColumn>)columns)
    {
    }

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>Columns in order.</summary>
    public IReadOnlyList<BatchColumn> Columns => _columns;

    /// <summary>The column with this name, or null.</summary>
    public BatchColumn? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The column with this name; an invalid-parameter error naming it when absent.</summary>
    public BatchColumn this[string name] =>
        Find(name) ?? throw KeelException.InvalidParameter($"Missing column '{name}' in the input.");
}
