namespace Keel.Core.Registry;

/// <summary>Registration status; wire names PENDING_REGISTRATION, FAILED_REGISTRATION, READY.</summary>
public enum ModelVersionStatus
{
    PendingRegistration = 1,
    FailedRegistration = 2,
    Ready = 3,
}
