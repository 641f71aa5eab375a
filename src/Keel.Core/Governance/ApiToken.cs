namespace Keel.Core.Governance;

/// <summary>
/// An API token's record. The secret itself is shown once at creation and stored only as a hash,
/// so a leaked database does not leak working tokens.
/// </summary>
/// <param name="Id">Public id (the part of the token before the secret), used to list and revoke.</param>
/// <param name="Username">Whose token.</param>
/// <param name="Name">The owner's label, e.g. <c>ci</c>.</param>
/// <param name="CreatedAt">Unix milliseconds.</param>
/// <param name="ExpiresAt">Unix milliseconds, or null for no expiry.</param>
/// <param name="RevokedAt">Unix milliseconds when revoked, or null.</param>
public sealed record ApiToken(string Id, string Username, string Name, long CreatedAt, long? ExpiresAt, long? RevokedAt)
{
    /// <summary>Whether the token may authenticate at <paramref name="now"/> (Unix milliseconds).</summary>
    public bool IsActive(long now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);
}
