using Keel.Core.Predictions;

namespace Keel.Serving.Logging;

/// <summary>A prediction log that is written and read through the same object (every sink here is).</summary>
internal interface IPredictionLogBackend : IPredictionLogSink, IPredictionLogReader;
