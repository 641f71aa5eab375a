using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Keel.Core.Wire;

/// <summary>
/// Renders a JSON value the way MLflow's server prints it in error messages: MLflow decodes the body
/// with Python's <c>json</c> module and formats the value with <c>str()</c>, so clients (and MLflow's
/// own tests) see <c>123</c>, <c>9.0</c>, <c>True</c>, <c>None</c> or
/// <c>[{'key': 'mae', 'value': 2.5}]</c>, with the Python type name as the hint.
/// </summary>
public static class PythonText
{
    /// <summary>Python's <c>str(value)</c>: a top-level string is printed bare, anything else as its repr.</summary>
    public static string Str(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : Repr(value);

    /// <summary>Python's <c>repr(value)</c> of the value <c>json.loads</c> would produce.</summary>
    public static string Repr(JsonElement value)
    {
        var text = new StringBuilder();
        AppendRepr(text, value);
        return text.ToString();
    }

    /// <summary>Python's <c>type(value).__name__</c> of the decoded value.</summary>
    public static string TypeName(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "str",
        JsonValueKind.Number => IsFloatLiteral(value) ? "float" : "int",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Array => "list",
        JsonValueKind.Object => "dict",
        _ => "NoneType",
    };

    /// <summary>Python's <c>repr</c> of a float: shortest round-trip digits, exponent outside 1e-4..1e16.</summary>
    public static string FloatRepr(double value)
    {
        if (double.IsNaN(value))
        {
            return "nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "inf" : "-inf";
        }

        // .NET's "R" gives the shortest digits that round-trip, as Python's repr does; only the
        // layout differs (CPython prints fixed notation for decimal exponents -4 < e <= 16).
        var r = value.ToString("R", CultureInfo.InvariantCulture);
        var negative = r[0] == '-';
        if (negative)
        {
            r = r[1..];
        }

        var exponent = 0;
        var ePos = r.IndexOf('E', StringComparison.Ordinal);
        if (ePos >= 0)
        {
            exponent = int.Parse(r[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            r = r[..ePos];
        }

        var dot = r.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot < 0 ? r : r[..dot];
        var digits = integerPart + (dot < 0 ? string.Empty : r[(dot + 1)..]);
        var decimalPoint = integerPart.Length + exponent; // value = 0.digits x 10^decimalPoint
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits[leadingZeros..].TrimEnd('0');
        decimalPoint -= leadingZeros;
        if (digits.Length == 0)
        {
            digits = "0";
            decimalPoint = 1;
        }

        var sign = negative ? "-" : string.Empty;
        if (decimalPoint is > -4 and <= 16)
        {
            if (decimalPoint <= 0)
            {
                return sign + "0." + new string('0', -decimalPoint) + digits;
            }

            return decimalPoint >= digits.Length
                ? sign + digits + new string('0', decimalPoint - digits.Length) + ".0"
                : sign + digits[..decimalPoint] + "." + digits[decimalPoint..];
        }

        var e = decimalPoint - 1;
        var mantissa = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        return sign + mantissa + "e" + (e < 0 ? "-" : "+") + Math.Abs(e).ToString("00", CultureInfo.InvariantCulture);
    }

    private static void AppendRepr(StringBuilder text, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                AppendStringRepr(text, value.GetString()!);
                break;
            case JsonValueKind.Number:
                text.Append(NumberRepr(value));
                break;
            case JsonValueKind.True:
                text.Append("True");
                break;
            case JsonValueKind.False:
                text.Append("False");
                break;
            case JsonValueKind.Array:
                text.Append('[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    text.Append(first ? string.Empty : ", ");
                    AppendRepr(text, item);
                    first = false;
                }

                text.Append(']');
                break;
            case JsonValueKind.Object:
                AppendDictRepr(text, value);
                break;
            default:
                text.Append("None");
                break;
        }
    }

    private static void AppendDictRepr(StringBuilder text, JsonElement value)
    {
        // A Python dict keeps a repeated key at its first position with its last value.
        var members = new List<(string Key, JsonElement Value)>();
        foreach (var property in value.EnumerateObject())
        {
            var index = members.FindIndex(m => m.Key == property.Name);
            if (index >= 0)
            {
                members[index] = (property.Name, property.Value);
            }
            else
            {
                members.Add((property.Name, property.Value));
            }
        }

        text.Append('{');
        for (var i = 0; i < members.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ");
            AppendStringRepr(text, members[i].Key);
            text.Append(": ");
            AppendRepr(text, members[i].Value);
        }

        text.Append('}');
    }

    private static string NumberRepr(JsonElement value)
    {
        var raw = value.GetRawText();
        if (IsFloatLiteral(value))
        {
            return FloatRepr(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        // Python ints are unbounded and print without a sign on zero ("-0" decodes to 0).
        return BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
    }

    private static bool IsFloatLiteral(JsonElement number) => number.GetRawText().AsSpan().IndexOfAny(".eE") >= 0;

    /// <summary>Python's <c>repr(str)</c>: single quotes unless the text has a ' and no ", escapes for the unprintable.</summary>
    private static void AppendStringRepr(StringBuilder text, string s)
    {
        var quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        text.Append(quote);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c == quote || c == '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (c == '\t')
            {
                text.Append("\\t");
            }
            else if (c == '\n')
            {
                text.Append("\\n");
            }
            else if (c == '\r')
            {
                text.Append("\\r");
            }
            else if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                var codePoint = char.ConvertToUtf32(c, s[i + 1]);
                if (IsPrintable(CharUnicodeInfo.GetUnicodeCategory(codePoint)))
                {
                    text.Append(c).Append(s[i + 1]);
                }
                else
                {
                    text.Append(CultureInfo.InvariantCulture, $"\\U{codePoint:x8}");
                }

                i++;
            }
            else if (c == ' ' || IsPrintable(CharUnicodeInfo.GetUnicodeCategory(c)))
            {
                text.Append(c);
            }
            else if (c < 0x100)
            {
                text.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            }
            else
            {
                text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }

        text.Append(quote);
    }

    // Python's str.isprintable: everything but control, format, surrogate, private-use, unassigned
    // and separator characters (the ASCII space excepted by the caller).
    private static bool IsPrintable(UnicodeCategory category) => category is not (
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
        or UnicodeCategory.ParagraphSeparator);
}
