using System.Globalization;
using Keel.Core.Errors;

namespace Keel.Core.Features;

/// <summary>An apply planned from a catalog revision that is no longer current (RESOURCE_CONFLICT, 409); nothing changed.</summary>
public sealed class FeatureCatalogConflictException : KeelException
{
    /// <summary>A conflict between the revision the plan was made from and the current one.</summary>
    /// <param name="currentRevision">The catalog's revision now.</param>
    /// <param name="expectedRevision">The revision the plan was made from.</param>
    public FeatureCatalogConflictException(long currentRevision, long expectedRevision)
        : base(ErrorCode.ResourceConflict, string.Create(CultureInfo.InvariantCulture,
            $"The feature registry is at revision {currentRevision}, not {expectedRevision}: another apply came first. Plan again and apply."))
    {
        CurrentRevision = currentRevision;
        ExpectedRevision = expectedRevision;
    }

    /// <summary>Not used: a conflict always names the revisions.</summary>
    public FeatureCatalogConflictException()
        : base(ErrorCode.ResourceConflict, "The feature registry changed.")
    {
    }

    /// <summary>Not used: a conflict always names the revisions.</summary>
    /// <param name="message">The message.</param>
    public FeatureCatalogConflictException(string message)
        : base(ErrorCode.ResourceConflict, message)
    {
    }

    /// <summary>Not used: a conflict always names the revisions.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public FeatureCatalogConflictException(string message, Exception innerException)
        : base(ErrorCode.ResourceConflict, message, innerException)
    {
    }

    /// <summary>The catalog's revision now.</summary>
    public long CurrentRevision { get; }

    /// <summary>The revision the refused apply was planned from.</summary>
    public long ExpectedRevision { get; }
}
