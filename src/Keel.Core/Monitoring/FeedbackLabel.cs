namespace Keel.Core.Monitoring;

/// <summary>A delayed ground-truth label for one logged request.</summary>
/// <param name="RequestId">The request's id as answered in <c>x-request-id</c>.</param>
/// <param name="Label">The label as JSON (one value, or an array with one value per row of the request).</param>
public sealed record FeedbackLabel(string RequestId, string Label);
