namespace Keel.Core.Registry;

/// <summary>Registration status; wire names PENDING_REGISTRATION, FAILED_REGISTRATION, READY.</summary>
public enum ModelVersionStatus
{
    /// <summary>Registration in progress (PENDING_REGISTRATION).</summary>
    PendingRegistration = 1,
    /// <summary>Registration failed (FAILED_REGISTRATION).</summary>
    FailedRegistration = 2,
    /// <summary>Registered and usable (READY).</summary>
    Ready = 3,
}
