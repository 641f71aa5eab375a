namespace Keel.Core.Wire;

/// <summary>One check of a request field, named after the assertion MLflow's handlers run.</summary>
public enum FieldRule
{
    /// <summary>Present, not null and not the empty string (<c>_assert_required</c>).</summary>
    Required,

    /// <summary>A JSON string (<c>_assert_string</c>).</summary>
    IsString,

    /// <summary>Something Python's <c>int()</c> accepts: an integer, a finite float, a bool, or a string holding an integer (<c>_assert_intlike</c>).</summary>
    IntLike,

    /// <summary>Something Python's <c>float()</c> accepts: a number, a bool, or a string holding one (<c>_assert_floatlike</c>).</summary>
    FloatLike,

    /// <summary>A JSON true or false (<c>_assert_bool</c>).</summary>
    IsBool,

    /// <summary>A JSON array (<c>_assert_array</c>).</summary>
    IsArray,

    /// <summary>An array whose items are all strings (<c>_assert_item_type_string</c>).</summary>
    StringItems,

    /// <summary>Every item is an object with a non-empty key, value and timestamp (log-batch metrics).</summary>
    MetricFieldsPresent,

    /// <summary>Every item is an object with a non-empty key (log-batch params and tags).</summary>
    KeyFieldPresent,
}
