using System.Text.Json;
using Xunit;

namespace Keel.EndToEnd.Tests.Golden;

/// <summary>The replay's normalisation of server-clock fields accepts real times and catches wrong ones.</summary>
public sealed class JsonComparerTests
{
    private const string Recorded = """{"experiment": {"name": "x", "creation_time": 1795389886030, "last_update_time": 1795389886030}}""";

    private static string? Diff(string actual)
    {
        using var e = JsonDocument.Parse(Recorded);
        using var a = JsonDocument.Parse(actual);
        return JsonComparer.Diff(e.RootElement, a.RootElement);
    }

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private static string Experiment(object? creation, object? update, string name = "x") =>
        "{\"experiment\": {\"name\": \"" + name + "\", \"creation_time\": " + creation
        + (update is null ? string.Empty : ", \"last_update_time\": " + update) + "}}";

    [Fact]
    public void A_current_integer_time_passes()
    {
        Assert.Null(Diff(Experiment(Now - 5, Now)));
    }

    [Theory]
    [InlineData("\"1795389886030\"", "integer epoch milliseconds")] // a string
    [InlineData("1795389886030.5", "integer epoch milliseconds")] // a fraction
    [InlineData("1.7e12", "integer epoch milliseconds")] // an exponent form
    [InlineData("null", "integer epoch milliseconds")]
    [InlineData("1795389886", "plausible")] // seconds, not milliseconds
    [InlineData("0", "plausible")]
    [InlineData("-1", "integer epoch milliseconds")]
    public void A_wrong_type_or_unit_is_reported(string creation, string fragment)
    {
        var problem = Diff(Experiment(creation, Now));
        Assert.NotNull(problem);
        Assert.Contains("creation_time", problem, StringComparison.Ordinal);
        Assert.Contains(fragment, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_time_in_the_future_is_reported()
    {
        var problem = Diff(Experiment(Now, Now + (3 * 86_400_000L)));
        Assert.Contains("last_update_time", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_clock_field_is_reported()
    {
        var problem = Diff(Experiment(Now, null));
        Assert.Contains("missing [last_update_time]", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_update_before_the_creation_is_reported()
    {
        var problem = Diff(Experiment(Now, Now - 1000));
        Assert.Contains("is before creation_time", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_fields_still_compare_by_value()
    {
        var problem = Diff(Experiment(Now, Now, "y"));
        Assert.Contains("$.experiment.name", problem, StringComparison.Ordinal);
    }
}
