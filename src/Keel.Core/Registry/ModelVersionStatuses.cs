namespace Keel.Core.Registry;

/// <summary>Wire names of <see cref="ModelVersionStatus"/>.</summary>
public static class ModelVersionStatuses
{
    /// <summary>The wire name, e.g. <c>READY</c>.</summary>
    /// <param name="status">The status.</param>
    public static string ToWire(this ModelVersionStatus status) => status switch
    {
        ModelVersionStatus.PendingRegistration => "PENDING_REGISTRATION",
        ModelVersionStatus.FailedRegistration => "FAILED_REGISTRATION",
        _ => "READY",
    };

    /// <summary>Parses a wire name (exact case).</summary>
    /// <param name="value">The name.</param>
    /// <param name="status">The status when parsed; Ready otherwise.</param>
    public static bool TryParse(string? value, out ModelVersionStatus status)
    {
        foreach (var s in Enum.GetValues<ModelVersionStatus>())
        {
            if (string.Equals(s.ToWire(), value, StringComparison.Ordinal))
            {
                status = s;
                return true;
            }
        }

        status = ModelVersionStatus.Ready;
        return false;
    }
}
