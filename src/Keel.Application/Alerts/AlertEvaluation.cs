using Keel.Core.Monitoring;

namespace Keel.Application.Alerts;

/// <summary>What one evaluation pass did.</summary>
/// <param name="RulesEvaluated">Enabled rules looked at.</param>
/// <param name="Events">State changes recorded, in order.</param>
/// <param name="Errors">Rules that could not be evaluated, with why.</param>
public sealed record AlertEvaluation(int RulesEvaluated, IReadOnlyList<AlertEvent> Events, IReadOnlyList<string> Errors);
