using Prometheus;

namespace Keel.Serving;

/// <summary>The Prometheus children of one route, resolved once.</summary>
internal sealed record RouteInstruments(Counter.Child Requests, Histogram.Child Latency, Counter.Child ServerErrors, Counter.Child ClientErrors);
