namespace Keel.Core.Governance;

/// <summary>A user with the stored hash of their password (a PHC string, e.g. <c>$argon2id$...</c>); never leaves the server.</summary>
/// <param name="User">The user.</param>
/// <param name="PasswordHash">The hash, or null for a user who signs in only with tokens or OIDC.</param>
public sealed record UserCredential(KeelUser User, string? PasswordHash);
