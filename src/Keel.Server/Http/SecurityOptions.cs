namespace Keel.Server.Http;

/// <summary>
/// Browser-facing protections of <c>keel server</c> (the defaults are safe for a server on a
/// laptop): which Host headers are answered, and which other origins may call the API from a web page.
/// </summary>
public sealed record SecurityOptions
{
    /// <summary>
    /// Host names (or <c>host:port</c>, or <c>*.domain</c>) the server answers; <c>*</c> answers any.
    /// Empty (the default): localhost, 127.0.0.1, [::1] and the address the server is bound to (the
    /// machine's own addresses when bound to 0.0.0.0 or ::). A request naming another host is refused
    /// with 403, so a DNS-rebinding page cannot reach the server through a hostile domain name.
    /// <c>--allowed-hosts</c>.
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>
    /// Origins (<c>scheme://host[:port]</c>) whose pages may call the API cross-origin; <c>*</c>
    /// allows any. Empty (the default): CORS is closed, and a state-changing request that a page on
    /// another origin sends is refused with 403. <c>--cors-allowed-origins</c>.
    /// </summary>
    public IReadOnlyList<string> CorsAllowedOrigins { get; init; } = [];

    /// <summary>Parses a comma-separated list option; blank items are dropped.</summary>
    public static IReadOnlyList<string> ParseList(string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? []
            : [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
