namespace Keel.Cli.Infrastructure;

/// <summary>"Did you mean ...?": the known name nearest a mistyped one, when it is plausibly a typo of it.</summary>
internal static class DidYouMean
{
    /// <summary>
    /// The name in <paramref name="known"/> nearest <paramref name="typed"/> by edit distance, when
    /// that distance is small for its length (at most 2, or a third of the typed name); else null.
    /// Ties go to the first in ordinal order, so the suggestion is stable.
    /// </summary>
    public static string? Nearest(string typed, IEnumerable<string> known)
    {
        var best = known.Distinct(StringComparer.Ordinal)
            .Select(k => (Name: k, Distance: Distance(typed, k)))
            .OrderBy(p => p.Distance).ThenBy(p => p.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Name is not null && best.Distance <= Math.Max(2, typed.Length / 3) ? best.Name : null;
    }

    // Levenshtein distance by hand: a few lines no library is worth adding for.
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
