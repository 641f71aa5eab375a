using Keel.Application.Features;
using Keel.Core.Errors;
using Keel.Core.Jobs;
using Microsoft.Extensions.Time.Testing;
using static Keel.Application.Tests.Features.DriverDefinitions;

namespace Keel.Application.Tests.Features;

public sealed class MaterializeJobHandlerTests
{
    [Fact]
    public void A_payload_names_views_window_and_overlap_and_defaults_to_incremental()
    {
        var request = MaterializeJobHandler.ParsePayload("""{"views": ["a", "b"], "end": "2026-01-01T05:00:00Z", "overlap": "30m"}""");
        Assert.Equal(["a", "b"], request.Views!);
        Assert.Equal((true, T0 + TimeSpan.FromHours(5), (TimeSpan?)TimeSpan.FromMinutes(30)), (request.Incremental, request.End, request.Overlap));

        var full = MaterializeJobHandler.ParsePayload("""{"incremental": false, "start": "2026-01-01T00:00:00"}""");
        Assert.Equal((false, (DateTimeOffset?)T0), (full.Incremental, full.Start));
        Assert.True(MaterializeJobHandler.ParsePayload(null).Incremental);
    }

    [Theory]
    [InlineData("""{"overlap": "an hour"}""", "overlap")]
    [InlineData("""{"end": "yesterday"}""", "end")]
    [InlineData("""[1]""", "JSON object")]
    [InlineData("""{nope""", "not JSON")]
    public void A_bad_payload_is_refused_naming_the_field(string payload, string field)
    {
        var e = Assert.Throws<KeelException>(() => MaterializeJobHandler.ParsePayload(payload));
        Assert.Equal(ErrorCode.InvalidParameterValue, e.Code);
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_job_runs_the_materializer_and_answers_rows_per_view()
    {
        var registry = new InMemoryFeatureRegistry();
        registry.Set(Create());
        var source = new ListRowSource();
        source.Rows["customer_profile"] = [new Keel.Core.Features.OnlineRow("c", Ms(TimeSpan.FromHours(1)), 0, [1L])];
        var handler = new MaterializeJobHandler(() => new Materializer(registry, new MemoryOnlineStore(), source, new FakeTimeProvider(T0 + TimeSpan.FromHours(2))));
        var job = new Job(1, MaterializeJobHandler.Kind, """{"views": ["customer_profile"]}""", JobState.Leased, 1, 3, null, 0, 0, 0, null, null, null, null, null);
        var result = await handler.RunAsync(job, CancellationToken.None);
        Assert.StartsWith("""{"views":[{"view":"customer_profile","version":1,"rows":1,"seconds":""", result, StringComparison.Ordinal);
        Assert.Equal(Ms(TimeSpan.FromHours(2)), (await registry.GetMaterializationAsync("customer_profile"))!.Watermark);
    }
}
