using Keel.Core.Tracking;

namespace Keel.Storage.Sql;

/// <summary>A run row with its internal surrogate key, which the data loaders join on.</summary>
internal sealed record RunRow(long RunKey, RunInfo Info);
