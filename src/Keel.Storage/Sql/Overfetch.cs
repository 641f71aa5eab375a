using Keel.Core.Tracking;

namespace Keel.Storage.Sql;

/// <summary>
/// Search queries fetch one row more than the page size to learn whether another page follows
/// without a COUNT; this trims that extra row and reports whether it was there.
/// </summary>
internal static class Overfetch
{
    public static bool TrimToPage<T>(List<T> rows, int pageSize)
    {
        if (rows.Count <= pageSize)
        {
            return false;
        }

        rows.RemoveRange(pageSize, rows.Count - pageSize);
        return true;
    }

    /// <summary>The rows trimmed to one page, with whether another page follows.</summary>
    public static Page<T> ToPage<T>(List<T> rows, int pageSize) => new(rows, TrimToPage(rows, pageSize));
}
