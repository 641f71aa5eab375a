using System.Text.Json.Nodes;
using Keel.Data.Tables;

namespace Keel.Data.Validation.Checks;

internal sealed class NotNullCheck : MapCheck
{
    protected override bool CountsEveryRow => true;

    protected override string Domain => "TRUE";

    protected override string? Condition(DuckTable table) => $"{Sql.Ident(Args.Column)} IS NULL";
}

internal sealed class NullCheck : MapCheck
{
    protected override bool CountsEveryRow => true;

    protected override string Domain => "TRUE";

    protected override string? Condition(DuckTable table) => $"{Sql.Ident(Args.Column)} IS NOT NULL";
}

internal sealed class InSetCheck(bool negate) : MapCheck
{
    protected override string? Condition(DuckTable table)
    {
        // A null value_set lets every value through (pandas' isin is skipped).
        if (Args.IsNull("value_set"))
        {
            return "FALSE";
        }

        var column = table.Find(Args.Column)!;
        var literals = Args.Values("value_set").Select(v => Literals.ForEquality(v, column)).OfType<string>().Distinct().ToList();
        var member = literals.Count == 0 ? "FALSE" : $"{Sql.Ident(Args.Column)} IN ({string.Join(", ", literals)})";
        return negate ? $"coalesce({member}, FALSE)" : $"NOT coalesce({member}, FALSE)";
    }
}

internal sealed class BetweenCheck : MapCheck
{
    protected override string? Condition(DuckTable table)
    {
        var column = table.Find(Args.Column)!;
        var min = Args.Raw["min_value"];
        var max = Args.Raw["max_value"];
        if (min is null && max is null)
        {
            throw new CheckException("min_value and max_value cannot both be None");
        }

        var c = Sql.Ident(Args.Column);
        var parts = new List<string>();
        if (min is not null)
        {
            parts.Add($"{c} {(Args.Bool("strict_min") ? ">" : ">=")} {Literals.Bound(min, column, "min_value")}");
        }

        if (max is not null)
        {
            parts.Add($"{c} {(Args.Bool("strict_max") ? "<" : "<=")} {Literals.Bound(max, column, "max_value")}");
        }

        if (min is not null && max is not null && MinAboveMax(min, max))
        {
            throw new CheckException("min_value cannot be greater than max_value");
        }

        // NaN compares false in pandas, so it is unexpected; DuckDB orders NaN above everything.
        var finite = column.Logical == LogicalType.Float ? $" AND NOT isnan({c})" : "";
        return $"NOT coalesce(({string.Join(" AND ", parts)}){finite}, FALSE)";
    }

    private static bool MinAboveMax(JsonNode min, JsonNode max)
    {
        var (mk, xk) = (min.GetValueKind(), max.GetValueKind());
        if (mk == System.Text.Json.JsonValueKind.Number && xk == System.Text.Json.JsonValueKind.Number)
        {
            return min.GetValue<double>() > max.GetValue<double>();
        }

        return mk == System.Text.Json.JsonValueKind.String && xk == System.Text.Json.JsonValueKind.String
            && string.CompareOrdinal(min.GetValue<string>(), max.GetValue<string>()) > 0;
    }
}

/// <summary>match_regex, not_match_regex and the regex-list forms: a search anywhere in the text of the value (Python's re.search).</summary>
internal sealed class RegexCheck(bool list, bool negate) : MapCheck
{
    protected override string? Condition(DuckTable table)
    {
        var text = $"CAST({Sql.Ident(Args.Column)} AS VARCHAR)";
        var regexes = list ? Args.Strings("regex_list") : [Args.String("regex")!];
        var matches = regexes.Select(r => $"regexp_matches({text}, {Sql.Str(r)})").ToList();
        if (negate)
        {
            // not_match_regex_list: a value matching any of the regexes is unexpected.
            return regexes.Count == 1 ? matches[0] : $"regexp_matches({text}, {Sql.Str(string.Join("|", regexes.Select(r => "(?:" + r + ")")))})";
        }

        if ((Args.String("match_on") ?? "any") == "all")
        {
            return $"NOT ({string.Join(" AND ", matches)})";
        }

        // Any of several: one alternation is one pass of the regex engine instead of several.
        return regexes.Count == 1
            ? $"NOT ({matches[0]})"
            : $"NOT regexp_matches({text}, {Sql.Str(string.Join("|", regexes.Select(r => "(?:" + r + ")")))})";
    }
}

internal sealed class LengthsCheck(bool equal) : MapCheck
{
    protected override string? Condition(DuckTable table)
    {
        if (table.Find(Args.Column)!.DuckType != "VARCHAR")
        {
            throw new CheckException($"Column \"{Args.Column}\" is {table.Find(Args.Column)!.DuckType}; value lengths need text.");
        }

        var length = $"length({Sql.Ident(Args.Column)})";
        if (equal)
        {
            return $"{length} <> {Sql.Num(Args.Number("value")!.Value)}";
        }

        var min = Args.Number("min_value");
        var max = Args.Number("max_value");
        if (min is null && max is null)
        {
            throw new CheckException("min_value and max_value cannot both be None");
        }

        var parts = new List<string>();
        if (min is not null)
        {
            parts.Add($"{length} {(Args.Bool("strict_min") ? ">" : ">=")} {Sql.Num(min.Value)}");
        }

        if (max is not null)
        {
            parts.Add($"{length} {(Args.Bool("strict_max") ? "<" : "<=")} {Sql.Num(max.Value)}");
        }

        return $"NOT ({string.Join(" AND ", parts)})";
    }
}

/// <summary>Text that Python's <c>datetime.strptime</c> accepts with the format (DuckDB's strptime takes the same directives).</summary>
internal sealed class StrftimeCheck : MapCheck
{
    protected override string? Condition(DuckTable table)
    {
        RequireText(table, Args.Column, "expect_column_values_to_match_strftime_format");
        return $"try_strptime({Sql.Ident(Args.Column)}, {Sql.Str(Args.String("strftime_format")!)}) IS NULL";
    }

    internal static void RequireText(DuckTable table, string column, string type)
    {
        if (table.Find(column)!.Logical != LogicalType.String || table.Find(column)!.DuckType != "VARCHAR")
        {
            throw new CheckException(
                $"Values passed to {type} must be of type string.\nIf you want to validate a column of dates or timestamps, please call the expectation before converting from string format.");
        }
    }
}

/// <summary>
/// Text dateutil can parse. Keel accepts what DuckDB reads as a date or timestamp (ISO 8601 and
/// its common variants) plus the usual month-name and slash forms; dateutil's fuzzier guesses
/// ("5pm", "3rd of May") are not.
/// </summary>
internal sealed class DateutilCheck : MapCheck
{
    private static readonly string[] Formats =
    [
        "%m/%d/%Y", "%m/%d/%y", "%d %b %Y", "%d %B %Y", "%b %d %Y", "%B %d %Y", "%b %d, %Y", "%B %d, %Y",
        "%Y/%m/%d", "%Y.%m.%d", "%d.%m.%Y", "%Y%m%d", "%H:%M", "%H:%M:%S", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S",
        "%a, %d %b %Y %H:%M:%S", "%a %b %d %H:%M:%S %Y", "%b %Y", "%B %Y", "%Y",
    ];

    protected override string? Condition(DuckTable table)
    {
        StrftimeCheck.RequireText(table, Args.Column, "expect_column_values_to_be_dateutil_parseable");
        var c = $"trim({Sql.Ident(Args.Column)})";
        var tries = new List<string> { $"try_cast({c} AS TIMESTAMP) IS NOT NULL", $"try_cast({c} AS TIMESTAMPTZ) IS NOT NULL" };
        tries.AddRange(Formats.Select(f => $"try_strptime({c}, {Sql.Str(f)}) IS NOT NULL"));
        return $"NOT ({string.Join(" OR ", tries)})";
    }
}

/// <summary>Text <c>json.loads</c> accepts; any non-text value fails, as json.loads raises on it.</summary>
internal sealed class JsonParseableCheck : MapCheck
{
    protected override string? Condition(DuckTable table)
    {
        var column = table.Find(Args.Column)!;
        return column.DuckType == "VARCHAR" ? $"NOT coalesce(json_valid({Sql.Ident(Args.Column)}), FALSE) OR trim({Sql.Ident(Args.Column)}) = ''" : "TRUE";
    }
}
