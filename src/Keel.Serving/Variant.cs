using Keel.Core.Serving;

namespace Keel.Serving;

/// <summary>One route of a routing table: the loaded model, its counters since start and in this step.</summary>
internal sealed record Variant(Route Route, HostedModel Model, RouteStats Live, RouteStats Step, RouteInstruments Metrics)
{
    public string Version => Model.Version;
}
