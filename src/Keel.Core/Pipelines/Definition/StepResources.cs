namespace Keel.Core.Pipelines.Definition;

/// <summary>What a step expects to need; a worker that cannot offer it does not take the step.</summary>
/// <param name="Cpu">Cores (fractions allowed); null for no hint.</param>
/// <param name="MemoryMb">Memory in MiB; null for no hint.</param>
/// <param name="Gpu">GPUs; null for none.</param>
public sealed record StepResources(double? Cpu = null, int? MemoryMb = null, int? Gpu = null);
