using System.Text;

namespace Keel.Storage.Sqlite;

/// <summary>
/// SQLite's LIKE ignores ASCII case unless a per-connection pragma is set, which pooled reader
/// connections would have to remember. A LIKE pattern translated to GLOB is case-sensitive on
/// every connection: % becomes *, _ becomes ?, and GLOB's own metacharacters are bracketed.
/// </summary>
internal static class LikePatterns
{
    public static string ToGlob(string likePattern)
    {
        var builder = new StringBuilder(likePattern.Length + 8);
        foreach (var c in likePattern)
        {
            switch (c)
            {
                case '%': builder.Append('*'); break;
                case '_': builder.Append('?'); break;
                case '*': builder.Append("[*]"); break;
                case '?': builder.Append("[?]"); break;
                case '[': builder.Append("[[]"); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();
    }
}
