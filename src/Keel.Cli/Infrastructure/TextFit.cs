using System.Text.RegularExpressions;
using Spectre.Console;

namespace Keel.Cli.Infrastructure;

/// <summary>Shortening of URIs and paths for narrow columns.</summary>
internal static partial class TextFit
{
    public const string Ellipsis = "…";

    /// <summary>
    /// <paramref name="text"/> cut to <paramref name="width"/> cells by replacing its middle with "…".
    /// The scheme (<c>models:/</c>, <c>s3://</c>) or leading <c>/</c> stays, and the tail gets two
    /// thirds of what is left, because a URI's end (version, file name) tells entries apart.
    /// </summary>
    public static string ShortenMiddle(string text, int width)
    {
        if (text.GetCellWidth() <= width)
        {
            return text;
        }

        if (width <= 1)
        {
            return width == 1 ? Ellipsis : string.Empty;
        }

        var prefix = Scheme().Match(text).Value;
        var budget = width - 1 - prefix.Length;
        if (budget < 4)
        {
            // Too narrow to keep the scheme and still show a useful tail.
            prefix = string.Empty;
            budget = width - 1;
        }

        var rest = text[prefix.Length..];
        var tail = budget - (budget / 3);
        var head = budget - tail;
        return prefix + rest[..head] + Ellipsis + rest[^tail..];
    }

    [GeneratedRegex(@"^([A-Za-z][A-Za-z0-9+.\-]*:/*|/)")]
    private static partial Regex Scheme();
}
