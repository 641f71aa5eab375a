namespace Keel.Compute.Drift;

/// <summary>A column's kind for drift, as Evidently names them: "num" and "cat".</summary>
public enum DriftColumnType
{
    /// <summary>Integer or floating-point values ("num").</summary>
    Numerical,

    /// <summary>Strings, booleans and other labels ("cat").</summary>
    Categorical,
}
