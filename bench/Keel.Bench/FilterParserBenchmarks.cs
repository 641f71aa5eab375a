using BenchmarkDotNet.Attributes;
using Keel.Compute.Search;

namespace Keel.Bench;

/// <summary>The search-filter parser sits on every runs/search call.</summary>
[MemoryDiagnoser]
public class FilterParserBenchmarks
{
    [Benchmark]
    public int ParseTypicalFilter() =>
        SearchFilterParser.ParseRunFilter("metrics.acc > 0.5 and params.lr = '0.1' and tags.t1 LIKE 'v%' and attributes.status = 'FINISHED'").Count;

    [Benchmark]
    public int ParseOrderBy() => SearchFilterParser.ParseRunOrderBy(["metrics.acc DESC", "params.`lr` ASC", "start_time"]).Count;
}
