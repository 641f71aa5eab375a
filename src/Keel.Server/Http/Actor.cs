namespace Keel.Server.Http;

/// <summary>
/// Who is making a request. With authentication on, the signed-in user the auth middleware put on
/// the request (<see cref="Caller"/>). With it off (a single-user server on a loopback address) the
/// caller's own claim in <c>X-Keel-User</c>, null when absent, and everyone counts as an admin.
/// </summary>
internal static class Actor
{
    public const string Header = "X-Keel-User";

    /// <summary>The acting user's name for audit trails, or null when unknown.</summary>
    public static string? From(HttpContext context)
    {
        if (Caller.Of(context) is { } caller)
        {
            return caller.Username;
        }

        var value = context.Request.Headers[Header].ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    /// <summary>Whether the caller is an admin; true when authentication is off.</summary>
    public static bool IsAdmin(HttpContext context) => Caller.Of(context)?.IsAdmin ?? true;
}
