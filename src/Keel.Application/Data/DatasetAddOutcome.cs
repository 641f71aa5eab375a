using Keel.Core.Data;
using Keel.Data.Content;
using Keel.Data.Profiling;
using Keel.Data.Validation;

namespace Keel.Application.Data;

/// <summary>What <c>keel data add</c> did.</summary>
/// <param name="Version">The version recorded, or the unchanged latest; null when the gate refused the content.</param>
/// <param name="Created">True when a new version was recorded.</param>
/// <param name="Manifest">The content's manifest; null when the gate refused it before anything was stored.</param>
/// <param name="Profile">The profile taken (tables only, and only for a new version).</param>
/// <param name="Validation">The gating suite's result, when the dataset has a suite.</param>
public sealed record DatasetAddOutcome(DatasetVersion? Version, bool Created, DatasetManifest? Manifest, TableProfile? Profile, SuiteValidationResult? Validation)
{
    /// <summary>True when a critical expectation failed and nothing was stored.</summary>
    public bool Refused => Version is null;
}
