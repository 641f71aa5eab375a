namespace Keel.Server.Http;

/// <summary>The authenticated user of a request, set by the authentication middleware; absent when authentication is off.</summary>
/// <param name="Username">The user.</param>
/// <param name="IsAdmin">Whether the user is an admin (passes every check).</param>
/// <param name="Method">How the user signed in: <c>basic</c>, <c>token</c> or <c>oidc</c>.</param>
internal sealed record Caller(string Username, bool IsAdmin, string Method)
{
    private static readonly object Key = new();

    /// <summary>The request's caller, or null when authentication is off.</summary>
    public static Caller? Of(HttpContext context) => context.Items.TryGetValue(Key, out var value) ? value as Caller : null;

    /// <summary>Puts the caller on the request.</summary>
    public void Attach(HttpContext context) => context.Items[Key] = this;
}
