using System.Text.Json.Nodes;
using Keel.Data.Tables;
using Keel.Data.Validation;

namespace Keel.Data.Tests.Validation;

/// <summary>
/// Keel's results on Reference/fixture.csv against the values pandas computes the way Great
/// Expectations' pandas backend does (Reference/reference_values.py, output committed).
/// </summary>
public sealed class ReferenceValueTests
{
    private static readonly string Dir = Path.Combine(AppContext.BaseDirectory, "Reference");

    public static TheoryData<int> Indexes()
    {
        var data = new TheoryData<int>();
        var count = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "reference_results.json")))!.AsArray().Count;
        for (var i = 0; i < count; i++)
        {
            data.Add(i);
        }

        return data;
    }

    private static readonly Lazy<Task<SuiteValidationResult>> Result = new(async () =>
    {
        var suite = ExpectationSuite.Parse(await File.ReadAllTextAsync(Path.Combine(Dir, "reference_suite.json")));
        return await new SuiteValidator().ValidateAsync(
            TableSource.Open(Path.Combine(Dir, "fixture.csv")), suite, new ResultFormat(ResultFormatLevel.Complete));
    });

    [Theory]
    [MemberData(nameof(Indexes))]
    public async Task Result_matches_the_pandas_reference(int index)
    {
        var reference = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "reference_results.json")))!.AsArray()[index]!.AsObject();
        var actual = (await Result.Value).Results[index];
        var type = reference["type"]!.GetValue<string>();
        Assert.Equal(type, actual.Expectation.Type);
        Assert.True(reference["success"]!.GetValue<bool>() == actual.Success, $"{index} {type}: success {actual.Success}, result {actual.Result.ToJsonString()} {actual.ExceptionMessage}");
        if (reference["exception"] is not null)
        {
            Assert.True(actual.RaisedException);
            return;
        }

        Assert.False(actual.RaisedException, actual.ExceptionMessage);
        foreach (var (key, expected) in reference)
        {
            if (key is "type" or "kwargs" or "success" or "exception")
            {
                continue;
            }

            Assert.True(actual.Result.ContainsKey(key), $"{index} {type}: result lacks '{key}': {actual.Result.ToJsonString()}");
            Assert.True(JsonNumbers.Equal(expected, actual.Result[key]),
                $"{index} {type}: '{key}' expected {expected?.ToJsonString()} got {actual.Result[key]?.ToJsonString()}");
        }
    }
}
