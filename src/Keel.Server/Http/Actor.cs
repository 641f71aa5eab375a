namespace Keel.Server.Http;

/// <summary>
/// Who made a registry change, for the audit trail. There is no authentication yet, so this is the
/// caller's own claim in <c>X-Keel-User</c> (null when absent); governance will replace it.
/// </summary>
internal static class Actor
{
    public const string Header = "X-Keel-User";

    public static string? From(HttpContext context)
    {
        var value = context.Request.Headers[Header].ToString();
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }
}
