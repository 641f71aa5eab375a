using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Keel.Serving.Logging;

/// <summary>
/// Deletes prediction log day files (<c>&lt;endpoint&gt;/&lt;yyyy-MM-dd&gt;.jsonl</c>) older than the
/// retention setting. Only files named as the writer names them are touched.
/// </summary>
internal static class PredictionLogRetention
{
    /// <summary>Deletes the day files dated before <paramref name="today"/> minus <paramref name="days"/>; returns how many.</summary>
    public static int Sweep(string directory, int days, DateOnly today, ILogger logger)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var oldest = today.AddDays(-days);
        var deleted = 0;
        try
        {
            foreach (var endpointDir in Directory.EnumerateDirectories(directory))
            {
                foreach (var file in Directory.EnumerateFiles(endpointDir, "*.jsonl"))
                {
                    if (DateOnly.TryParseExact(Path.GetFileNameWithoutExtension(file), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                        && day < oldest)
                    {
                        File.Delete(file);
                        deleted++;
                    }
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Could not delete old prediction log files under {Directory}", directory);
        }

        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} prediction log day files older than {Days} days", deleted, days);
        }

        return deleted;
    }
}
