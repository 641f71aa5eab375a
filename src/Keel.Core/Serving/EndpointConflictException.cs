using Keel.Core.Errors;

namespace Keel.Core.Serving;

/// <summary>
/// RESOURCE_CONFLICT (HTTP 409): an endpoint changed since the revision a change was made from. It
/// carries the endpoint as it is now, so a caller can look and decide again.
/// </summary>
public sealed class EndpointConflictException : KeelException
{
    /// <summary>A conflict on <paramref name="current"/>, which is at another revision than <paramref name="expectedVersion"/>.</summary>
    /// <param name="current">The endpoint as stored now.</param>
    /// <param name="expectedVersion">The revision the change was made from.</param>
    public EndpointConflictException(Endpoint current, long expectedVersion)
        : base(ErrorCode.ResourceConflict, $"Endpoint '{current?.Name}' changed: the change was made from version {expectedVersion}, but it is at version {current?.Version}. Read it again and retry.")
    {
        Current = current ?? throw new ArgumentNullException(nameof(current));
        ExpectedVersion = expectedVersion;
    }

    /// <summary>Not used: a conflict always names the current state.</summary>
    public EndpointConflictException()
        : base(ErrorCode.ResourceConflict, "Endpoint changed.")
    {
        Current = null!;
    }

    /// <summary>Not used: a conflict always names the current state.</summary>
    /// <param name="message">The message.</param>
    public EndpointConflictException(string message)
        : base(ErrorCode.ResourceConflict, message)
    {
        Current = null!;
    }

    /// <summary>Not used: a conflict always names the current state.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EndpointConflictException(string message, Exception innerException)
        : base(ErrorCode.ResourceConflict, message, innerException)
    {
        Current = null!;
    }

    /// <summary>The endpoint as stored now.</summary>
    public Endpoint Current { get; }

    /// <summary>The revision the refused change was made from.</summary>
    public long ExpectedVersion { get; }
}
