using System.Globalization;

namespace Keel.Serving.Logging;

/// <summary>
/// One Hive-style partition of the Parquet prediction log,
/// <c>endpoint=&lt;name&gt;/date=&lt;yyyy-MM-dd&gt;/hour=&lt;HH&gt;</c> (UTC), so a query engine reads
/// the whole log as one table with endpoint, date and hour as columns and prunes by them.
/// </summary>
internal readonly record struct PredictionPartition(string Endpoint, DateOnly Date, int Hour)
{
    public const string EndpointKey = "endpoint=";
    public const string DateKey = "date=";
    public const string HourKey = "hour=";

    public static PredictionPartition Of(string endpoint, DateTimeOffset timestamp)
    {
        var utc = timestamp.UtcDateTime;
        return new PredictionPartition(endpoint, DateOnly.FromDateTime(utc), utc.Hour);
    }

    /// <summary>The partition's directory under the log's root.</summary>
    public string Path => $"{EndpointDir(Endpoint)}/{DateDir(Date)}/{HourDir(Hour)}";

    public static string EndpointDir(string endpoint) => EndpointKey + endpoint;

    public static string DateDir(DateOnly date) => DateKey + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string HourDir(int hour) => HourKey + hour.ToString("D2", CultureInfo.InvariantCulture);

    public static bool TryParseDate(string dir, out DateOnly date)
    {
        date = default;
        return dir.StartsWith(DateKey, StringComparison.Ordinal)
            && DateOnly.TryParseExact(dir.AsSpan(DateKey.Length), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    public static bool TryParseHour(string dir, out int hour)
    {
        hour = -1;
        return dir.StartsWith(HourKey, StringComparison.Ordinal) && dir.Length == HourKey.Length + 2
            && int.TryParse(dir.AsSpan(HourKey.Length), NumberStyles.None, CultureInfo.InvariantCulture, out hour) && hour < 24;
    }
}
