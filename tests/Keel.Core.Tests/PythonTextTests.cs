using System.Text.Json;
using Keel.Core.Wire;

namespace Keel.Core.Tests;

/// <summary>Reference values are what CPython 3 prints for <c>str(json.loads(text))</c> and its type name.</summary>
public sealed class PythonTextTests
{
    [Theory]
    [InlineData("123", "123", "int")]
    [InlineData("-0", "0", "int")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890", "int")]
    [InlineData("9.0", "9.0", "float")]
    [InlineData("2.5", "2.5", "float")]
    [InlineData("0.1", "0.1", "float")]
    [InlineData("1e5", "100000.0", "float")]
    [InlineData("1e15", "1000000000000000.0", "float")]
    [InlineData("1e16", "1e+16", "float")]
    [InlineData("1.5e300", "1.5e+300", "float")]
    [InlineData("0.0001", "0.0001", "float")]
    [InlineData("0.00001", "1e-05", "float")]
    [InlineData("-0.0", "-0.0", "float")]
    [InlineData("123456789012345678.0", "1.2345678901234568e+17", "float")]
    [InlineData("1e400", "inf", "float")]
    [InlineData("true", "True", "bool")]
    [InlineData("null", "None", "NoneType")]
    [InlineData("\"foo\"", "foo", "str")]
    [InlineData("[]", "[]", "list")]
    [InlineData("{}", "{}", "dict")]
    [InlineData("""[{"key": "mae", "value": 2.5}]""", "[{'key': 'mae', 'value': 2.5}]", "list")]
    [InlineData("""{"a": [1, "x", null, false]}""", "{'a': [1, 'x', None, False]}", "dict")]
    [InlineData("""{"a": 1, "b": 2, "a": 3}""", "{'a': 3, 'b': 2}", "dict")]
    public void Str_and_type_name_match_python(string json, string str, string type)
    {
        using var document = JsonDocument.Parse(json);
        Assert.Equal(str, PythonText.Str(document.RootElement));
        Assert.Equal(type, PythonText.TypeName(document.RootElement));
    }

    [Theory]
    [InlineData("\"it's\"", "\"it's\"")]
    [InlineData("\"say \\\"hi\\\"\"", "'say \"hi\"'")]
    [InlineData("\"both ' and \\\"\"", "'both \\' and \"'")]
    [InlineData("\"tab\\tnew\\nline\\\\\"", "'tab\\tnew\\nline\\\\'")]
    [InlineData("\"\\u0001\\u007f\\u00a0\"", "'\\x01\\x7f\\xa0'")]
    [InlineData("\"caf\\u00e9 \\ud83d\\ude00\"", "'café 😀'")]
    public void Strings_inside_containers_use_python_repr(string json, string repr)
    {
        using var document = JsonDocument.Parse("[" + json + "]");
        Assert.Equal("[" + repr + "]", PythonText.Str(document.RootElement));
    }
}
