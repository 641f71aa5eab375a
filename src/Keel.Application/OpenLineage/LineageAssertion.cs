namespace Keel.Application.OpenLineage;

/// <summary>One data-quality check and its outcome, as OpenLineage's DataQualityAssertions facet carries it.</summary>
/// <param name="Assertion">The check's kind, e.g. <c>expect_column_values_to_not_be_null</c>.</param>
/// <param name="Success">True when it found no issue.</param>
/// <param name="Column">The column checked, or null for the whole table.</param>
/// <param name="Severity">error (blocks) or warn.</param>
/// <param name="Actual">What was observed, as text.</param>
public sealed record LineageAssertion(string Assertion, bool Success, string? Column, string? Severity = null, string? Actual = null);
