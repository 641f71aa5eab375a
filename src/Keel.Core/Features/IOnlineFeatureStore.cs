namespace Keel.Core.Features;

/// <summary>
/// The latest row of one entity in one view, as the online store keeps it.
/// </summary>
/// <param name="EntityKey">The entity's key (<see cref="EntityKeys.Of"/>).</param>
/// <param name="EventTimestamp">The row's event time, Unix milliseconds.</param>
/// <param name="CreatedTimestamp">The row's created time, Unix milliseconds (0 when the source has none); breaks ties of event time.</param>
/// <param name="Values">One value per feature of the view version, in its order: long, double, string, bool or null (timestamps as long milliseconds, Int32/Float32 widened).</param>
public sealed record OnlineRow(string EntityKey, long EventTimestamp, long CreatedTimestamp, IReadOnlyList<object?> Values)
{
    /// <summary>True when this row is newer than <paramref name="other"/>: later event time, or equal event time and later created time.</summary>
    public bool Supersedes(OnlineRow other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return EventTimestamp > other.EventTimestamp || (EventTimestamp == other.EventTimestamp && CreatedTimestamp >= other.CreatedTimestamp);
    }
}

/// <summary>
/// The online store: per view version, the latest row of each entity. Writes keep whichever row is
/// newer (<see cref="OnlineRow.Supersedes"/>), so a re-run or an overlapping run changes nothing
/// and rows may arrive in any order. Reads return stored rows as they are; the TTL rule is applied
/// by the caller, the same as offline.
/// </summary>
public interface IOnlineFeatureStore : IAsyncDisposable
{
    /// <summary>Where the values live, for messages: never a password.</summary>
    string Description { get; }

    /// <summary>Writes rows of one view version, keeping for each entity the newer of the stored and the given row.</summary>
    /// <param name="table">The view's table: <see cref="EntityKeys.Table"/> of the view name and version.</param>
    /// <param name="rows">Rows, any order; an entity may appear more than once.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task WriteAsync(string table, IReadOnlyList<OnlineRow> rows, CancellationToken cancellationToken = default);

    /// <summary>The stored row of each key, in the order given; null where none is stored.</summary>
    /// <param name="table">The view's table.</param>
    /// <param name="entityKeys">The entity keys.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<IReadOnlyList<OnlineRow?>> ReadAsync(string table, IReadOnlyList<string> entityKeys, CancellationToken cancellationToken = default);

    /// <summary>Removes every row of a view's table (a view deleted or re-versioned).</summary>
    Task DropAsync(string table, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes one round trip to the store (a Redis PING, a read of the SQLite file) and names what
    /// answered, e.g. <c>Redis 7.2.4</c> or <c>SQLite 3.46.1</c>; for <c>keel doctor</c>.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="Errors.KeelException">TEMPORARILY_UNAVAILABLE when the store does not answer.</exception>
    Task<string> ProbeAsync(CancellationToken cancellationToken = default);
}

/// <summary>How entity keys and online tables are named, the same on every store.</summary>
public static class EntityKeys
{
    /// <summary>Separates the values of a compound key (ASCII unit separator; cannot appear in a sane key).</summary>
    public const char Separator = '\u001f';

    /// <summary>
    /// The key of an entity from its join-key values in the view's join-key order, each written
    /// invariantly (integers as digits, so 1001 read from JSON and from Parquet agree; text as is).
    /// A view with no entities (a global series) has the empty key.
    /// </summary>
    public static string Of(IReadOnlyList<object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Count switch
        {
            0 => string.Empty,
            1 => Text(values[0]),
            _ => string.Join(Separator, values.Select(Text)),
        };
    }

    /// <summary>The online table of a view version: <c>view@vN</c>.</summary>
    public static string Table(string view, int version) => view + "@v" + version.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        double d when d == Math.Floor(d) && Math.Abs(d) < 9.007199254740992E15 => ((long)d).ToString(System.Globalization.CultureInfo.InvariantCulture),
        float f when f == MathF.Floor(f) && Math.Abs(f) < 1.6777216E7f => ((long)f).ToString(System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}

/// <summary>The status of one online value, as Feast names its field statuses (EXPIRED is Feast's OUTSIDE_MAX_AGE).</summary>
public enum OnlineValueStatus
{
    /// <summary>A stored, unexpired, non-null value.</summary>
    Present,

    /// <summary>Nothing stored for the entity.</summary>
    NotFound,

    /// <summary>Stored, unexpired, and null.</summary>
    NullValue,

    /// <summary>Stored but older than the view's TTL at the time of the read: served as null.</summary>
    Expired,
}
