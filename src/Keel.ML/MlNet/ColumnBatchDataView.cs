using Microsoft.ML;
using Microsoft.ML.Data;

namespace Keel.ML.MlNet;

/// <summary>
/// A read-only <see cref="IDataView"/> over a slice of column arrays. ML.NET's own in-memory views
/// need compile-time row classes; a model's input schema is only known when it is loaded, so Keel
/// feeds typed arrays directly. Slices share the arrays, which lets a batch be scored in parallel.
/// </summary>
internal sealed class ColumnBatchDataView : IDataView
{
    private readonly Array[] _columns;
    private readonly int _offset;
    private readonly int _count;

    /// <param name="schema">Column names and ML.NET types; arrays must match (float[], double[], long[], int[], bool[], ReadOnlyMemory&lt;char&gt;[]).</param>
    /// <param name="columns">One array per schema column.</param>
    /// <param name="offset">First row of the slice.</param>
    /// <param name="count">Rows in the slice.</param>
    public ColumnBatchDataView(DataViewSchema schema, Array[] columns, int offset, int count)
    {
        Schema = schema;
        _columns = columns;
        _offset = offset;
        _count = count;
    }

    public DataViewSchema Schema { get; }

    public bool CanShuffle => false;

    public long? GetRowCount() => _count;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) => new Cursor(this);

    // One cursor: the slices given to Parallel.For already provide the parallelism.
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) => [new Cursor(this)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly ColumnBatchDataView _view;
        private long _position = -1;

        public Cursor(ColumnBatchDataView view) => _view = view;

        public override long Position => _position;

        public override long Batch => 0;

        public override DataViewSchema Schema => _view.Schema;

        public override bool MoveNext()
        {
            if (_position + 1 < _view._count)
            {
                _position++;
                return true;
            }

            _position = _view._count;
            return false;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => true;

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var data = (TValue[])_view._columns[column.Index];
            var offset = _view._offset;
            return (ref TValue value) => value = data[offset + _position];
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)(_view._offset + _position), 0);
    }
}
