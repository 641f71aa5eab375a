using System.Globalization;
using Keel.Core.Errors;
using Microsoft.Extensions.Primitives;

namespace Keel.Server.Http;

/// <summary>
/// GET arguments from the query string: lists as repeated keys, also the <c>key[]=</c> spelling
/// that MLflow 2.12.2's querystring_parser accepted.
/// </summary>
internal static class QueryArgs
{
    public static string? String(HttpContext context, string key)
    {
        var values = context.Request.Query[key];
        return values.Count == 0 ? null : values[^1];
    }

    public static List<string>? List(HttpContext context, string key)
    {
        var query = context.Request.Query;
        var plain = query[key];
        var bracketed = query[key + "[]"];
        if (plain.Count == 0 && bracketed.Count == 0)
        {
            return null;
        }

        var list = new List<string>(plain.Count + bracketed.Count);
        Add(list, plain);
        Add(list, bracketed);
        return list;
    }

    public static long? Long(HttpContext context, string key)
    {
        var text = String(context, key);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid(key, text);
    }

    public static int? Int(HttpContext context, string key)
    {
        var value = Long(context, key);
        return value is null ? null : value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Invalid(key, value.Value.ToString(CultureInfo.InvariantCulture));
    }

    private static void Add(List<string> list, StringValues values)
    {
        foreach (var v in values)
        {
            if (v is not null)
            {
                list.Add(v);
            }
        }
    }

    private static KeelException Invalid(string key, string text) =>
        KeelException.InvalidParameter(
            $"Invalid value {text} for parameter '{key}' supplied. Hint: Value was of type 'str'. See the API docs for more information about request parameters.");
}
