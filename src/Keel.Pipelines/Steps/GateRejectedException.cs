namespace Keel.Pipelines.Steps;

/// <summary>The challenger failed the gate: the step fails so nothing downstream registers or deploys it.</summary>
internal sealed class GateRejectedException(string message) : Exception(message);
