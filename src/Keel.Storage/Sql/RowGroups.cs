using System.Data.Common;

namespace Keel.Storage.Sql;

/// <summary>
/// Child rows of a page (tags, params, metrics, versions) grouped by their parent's key, so a page
/// is loaded with one query per table rather than one per entity.
/// </summary>
internal static class RowGroups
{
    public static void Add<TKey, T>(Dictionary<TKey, List<T>> groups, TKey key, T item)
        where TKey : notnull
    {
        if (!groups.TryGetValue(key, out var list))
        {
            groups[key] = list = [];
        }

        list.Add(item);
    }

    public static Dictionary<TKey, List<T>> Group<TKey, T>(List<T> items, Func<T, TKey> key)
        where TKey : notnull
    {
        var groups = new Dictionary<TKey, List<T>>();
        foreach (var item in items)
        {
            Add(groups, key(item), item);
        }

        return groups;
    }

    /// <summary>The rows of the reader's current result set, grouped by their first column (an integer key).</summary>
    public static Dictionary<long, List<T>> ByFirstColumn<T>(DbDataReader reader, Func<DbDataReader, T> map)
    {
        var groups = new Dictionary<long, List<T>>();
        while (reader.Read())
        {
            Add(groups, reader.GetInt64(0), map(reader));
        }

        return groups;
    }

    /// <inheritdoc cref="ByFirstColumn{T}"/>
    public static async Task<Dictionary<long, List<T>>> ByFirstColumnAsync<T>(DbDataReader reader, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        var groups = new Dictionary<long, List<T>>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            Add(groups, reader.GetInt64(0), map(reader));
        }

        return groups;
    }

    /// <summary>The group of <paramref name="key"/>, empty when it has none.</summary>
    public static IReadOnlyList<T> Get<TKey, T>(Dictionary<TKey, List<T>> groups, TKey key)
        where TKey : notnull =>
        groups.TryGetValue(key, out var list) ? list : [];
}
