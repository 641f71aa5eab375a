using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Keel.Serving.Logging;

/// <summary>
/// Deletes JSON Lines day files (<c>&lt;endpoint&gt;/&lt;yyyy-MM-dd&gt;.jsonl</c>) of days before a
/// given one. Only files named as the writer names them are touched.
/// </summary>
internal static class PredictionLogRetention
{
    /// <summary>Deletes the day files dated before <paramref name="before"/>; returns how many.</summary>
    public static int Sweep(string directory, DateOnly before, ILogger logger)
    {
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        var deleted = 0;
        try
        {
            foreach (var endpointDir in Directory.EnumerateDirectories(directory))
            {
                foreach (var file in Directory.EnumerateFiles(endpointDir, "*.jsonl"))
                {
                    if (TryParseDay(file, out var day) && day < before)
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
            logger.LogInformation("Deleted {Count} prediction log day files dated before {Day}", deleted, before);
        }

        return deleted;
    }

    /// <summary>The day a file named <c>yyyy-MM-dd.jsonl</c> holds.</summary>
    public static bool TryParseDay(string file, out DateOnly day) =>
        DateOnly.TryParseExact(Path.GetFileNameWithoutExtension(file), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
}
