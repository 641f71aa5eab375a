using Keel.Data.Tables;

namespace Keel.Data.Validation.Checks;

/// <summary>
/// The numpy/pandas view of a column, which Great Expectations' type expectations speak on the
/// pandas backend: the dtype pandas gives the column (an integer column with nulls becomes
/// float64, a boolean one with nulls and text become object), and the Python type of each value
/// of an object column.
/// </summary>
internal static class PandasTypes
{
    private static readonly Dictionary<string, string> Numpy = new(StringComparer.Ordinal)
    {
        ["int"] = "int64", ["long"] = "int64", ["int64"] = "int64", ["i8"] = "int64", ["int_"] = "int64", ["longlong"] = "int64",
        ["int32"] = "int32", ["i4"] = "int32", ["intc"] = "int32",
        ["int16"] = "int16", ["i2"] = "int16", ["short"] = "int16",
        ["int8"] = "int8", ["i1"] = "int8", ["byte"] = "int8",
        ["uint64"] = "uint64", ["u8"] = "uint64", ["uint"] = "uint64", ["ulonglong"] = "uint64",
        ["uint32"] = "uint32", ["u4"] = "uint32", ["uintc"] = "uint32",
        ["uint16"] = "uint16", ["u2"] = "uint16", ["ushort"] = "uint16",
        ["uint8"] = "uint8", ["u1"] = "uint8", ["ubyte"] = "uint8",
        ["float"] = "float64", ["float64"] = "float64", ["double"] = "float64", ["f8"] = "float64", ["float_"] = "float64", ["d"] = "float64",
        ["float32"] = "float32", ["f4"] = "float32", ["single"] = "float32", ["f"] = "float32",
        ["float16"] = "float16", ["f2"] = "float16", ["half"] = "float16",
        ["bool"] = "bool_", ["bool_"] = "bool_", ["?"] = "bool_", ["bool8"] = "bool_",
        ["object"] = "object_", ["object_"] = "object_", ["O"] = "object_",
        ["str"] = "str_", ["str_"] = "str_", ["U"] = "str_", ["unicode"] = "str_",
        ["bytes"] = "bytes_", ["bytes_"] = "bytes_", ["S"] = "bytes_",
        ["datetime64"] = "datetime64", ["datetime64[ns]"] = "datetime64", ["M8"] = "datetime64", ["M8[ns]"] = "datetime64", ["<M8[ns]"] = "datetime64",
        ["timedelta64"] = "timedelta64", ["m8"] = "timedelta64",
        ["complex"] = "complex128", ["complex128"] = "complex128",
    };

    // Classes pandas exposes by name (getattr(pd, name)).
    private static readonly HashSet<string> PandasClasses = new(StringComparer.Ordinal)
    {
        "Timestamp", "Timedelta", "Period", "Interval", "Categorical", "DatetimeTZDtype", "CategoricalDtype", "PeriodDtype", "IntervalDtype",
    };

    /// <summary>Names of the Python types a type name stands for in isinstance checks (lower-cased, as GE compares them).</summary>
    private static IEnumerable<string> Native(string name) => name.ToLowerInvariant() switch
    {
        "none" => ["NoneType"],
        "bool" => ["bool"],
        "int" or "long" => ["int"],
        "float" => ["float"],
        "bytes" => ["bytes"],
        "complex" => ["complex"],
        "str" or "string_types" => ["str"],
        "list" => ["list"],
        "dict" => ["dict"],
        _ => [],
    };

    /// <summary>The dtype's type name (numpy's <c>type.__name__</c>) pandas gives the column.</summary>
    public static string DtypeOf(TableColumn column, bool hasNulls)
    {
        var t = column.DuckType.ToUpperInvariant();
        var integer = t switch
        {
            "TINYINT" => "int8",
            "SMALLINT" => "int16",
            "INTEGER" => "int32",
            "BIGINT" or "HUGEINT" => "int64",
            "UTINYINT" => "uint8",
            "USMALLINT" => "uint16",
            "UINTEGER" => "uint32",
            "UBIGINT" => "uint64",
            _ => null,
        };
        if (integer is not null)
        {
            return hasNulls ? "float64" : integer;
        }

        return t switch
        {
            "FLOAT" or "REAL" => "float32",
            "DOUBLE" => "float64",
            "BOOLEAN" => hasNulls ? "object_" : "bool_",
            "TIMESTAMP WITH TIME ZONE" => "Timestamp",
            _ when t.StartsWith("TIMESTAMP", StringComparison.Ordinal) => "datetime64",
            _ => "object_",
        };
    }

    /// <summary>The Python type of the values of an object column.</summary>
    public static string ValueTypeOf(TableColumn column)
    {
        var t = column.DuckType.ToUpperInvariant();
        return t switch
        {
            "BOOLEAN" => "bool",
            "DATE" => "date",
            "TIME" => "time",
            "BLOB" => "bytes",
            _ when t.StartsWith("DECIMAL", StringComparison.Ordinal) => "Decimal",
            _ when t.EndsWith("[]", StringComparison.Ordinal) => "list",
            _ when t.StartsWith("STRUCT", StringComparison.Ordinal) || t.StartsWith("MAP", StringComparison.Ordinal) => "dict",
            _ => "str",
        };
    }

    /// <summary>Whether a column of this dtype passes for one of the names (numpy types and pandas classes compare by identity).</summary>
    public static bool DtypeMatches(string dtype, IEnumerable<string> names) =>
        names.Any(n => (Numpy.TryGetValue(n, out var np) && np == dtype) || (PandasClasses.Contains(n) && n == dtype));

    /// <summary>Whether one value of the given Python type is an instance of one of the named types.</summary>
    public static bool ValueMatches(string valueType, IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            var native = Native(name).ToList();
            if (native.Contains(valueType) || (valueType == "bool" && native.Contains("int")))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the name resolves to any type at all (GE raises on a list of only unknown names).</summary>
    public static bool Known(string name) => Numpy.ContainsKey(name) || PandasClasses.Contains(name) || Native(name).Any();

    public static bool IsObjectName(string? name) => name is null or "object" or "object_" or "O";
}

/// <summary>
/// of_type and in_type_list: a typed column passes or fails as a whole on its dtype
/// (<c>observed_value</c> is the dtype name); an object column is checked value by value.
/// </summary>
internal sealed class TypeCheck(bool list) : MapCheck
{
    private static readonly (string Json, string Python)[] JsonTypes =
        [("VARCHAR", "str"), ("BIGINT", "int"), ("UBIGINT", "int"), ("DOUBLE", "float"), ("BOOLEAN", "bool"), ("ARRAY", "list"), ("OBJECT", "dict")];

    private IReadOnlyList<string>? Expected => list
        ? (Args.IsNull("type_list") ? null : Args.Strings("type_list"))
        : [Args.String("type_")!];

    protected override string? Condition(DuckTable table)
    {
        var expected = Expected ?? [];
        var column = table.Find(Args.Column)!;
        if (column.DuckType == "JSON")
        {
            // A mixed-type column: each value's Python type from its JSON type.
            var ok = new List<string>();
            foreach (var (jsonType, python) in JsonTypes)
            {
                if (PandasTypes.ValueMatches(python, expected))
                {
                    ok.Add(Sql.Str(jsonType));
                }
            }

            return ok.Count == 0 ? "TRUE" : $"json_type({Sql.Ident(Args.Column)}) NOT IN ({string.Join(", ", ok)})";
        }

        return PandasTypes.ValueMatches(PandasTypes.ValueTypeOf(table.Find(Args.Column)!), expected) ? "FALSE" : "TRUE";
    }

    public override async Task<CheckOutcome> EvaluateAsync(Evaluation evaluation, CancellationToken ct)
    {
        var column = evaluation.Column(Args.Column);
        var nulls = JsonValues.ToLong((await evaluation.Table.QuerySingleAsync($"SELECT count(*) - count({Sql.Ident(Args.Column)}) FROM t", ct).ConfigureAwait(false))[0]);
        var dtype = PandasTypes.DtypeOf(column, nulls > 0);
        var expected = Expected;
        var mapPath = dtype == "object_" && (list ? expected is not null : !PandasTypes.IsObjectName(expected![0]));
        if (mapPath)
        {
            if (!expected!.Any(PandasTypes.Known))
            {
                throw new CheckException(list ? $"No recognized numpy/python type in list: [{string.Join(", ", expected!.Select(e => $"'{e}'"))}]" : $"Unrecognized numpy/python type: {expected![0]}");
            }

            return await base.EvaluateAsync(evaluation, ct).ConfigureAwait(false);
        }

        var success = expected is null || PandasTypes.DtypeMatches(dtype, expected);
        return Observed(success, dtype);
    }
}
