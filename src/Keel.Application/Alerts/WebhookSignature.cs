using System.Security.Cryptography;
using System.Text;

namespace Keel.Application.Alerts;

/// <summary>The signature of an alert webhook: <c>sha256=</c> and the lowercase hex HMAC-SHA256 of the raw body, keyed by the secret's UTF-8 bytes.</summary>
public static class WebhookSignature
{
    /// <summary>The header that carries the signature.</summary>
    public const string Header = "X-Keel-Signature-256";

    /// <summary>The header that carries the event's id, the same on every retry.</summary>
    public const string EventIdHeader = "X-Keel-Event-Id";

    /// <summary>The header value for <paramref name="body"/>.</summary>
    /// <param name="secret">The secret.</param>
    /// <param name="body">The body as sent.</param>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>True when <paramref name="signature"/> is the body's signature (compared in constant time).</summary>
    /// <param name="secret">The secret.</param>
    /// <param name="body">The body as received.</param>
    /// <param name="signature">The header value.</param>
    public static bool Verify(string secret, ReadOnlySpan<byte> body, string? signature) =>
        signature is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, body)), Encoding.ASCII.GetBytes(signature));
}
