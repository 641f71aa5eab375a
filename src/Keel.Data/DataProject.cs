namespace Keel.Data;

/// <summary>
/// Keel.Data works on dataset contents: content-addressed chunk storage (Content), table profiles
/// (Profiling) and Great Expectations-compatible validation (Validation). It reads files and the
/// artifact store; metadata (datasets, versions, aliases) goes through Keel.Core's dataset port.
/// </summary>
internal static class DataProject
{
}
