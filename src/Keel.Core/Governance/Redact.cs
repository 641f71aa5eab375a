using System.Text.Json;
using System.Text.Json.Nodes;

namespace Keel.Core.Governance;

/// <summary>
/// Takes secrets out of JSON before it is kept or shown (the audit log's before/after, log lines):
/// every property named <c>secret</c>, <c>password</c>, <c>token</c>, <c>credentials</c> or
/// <c>authorization</c>, or ending in <c>_secret</c>, <c>_password</c>, <c>_token</c> or <c>_key</c>
/// (<c>aws_secret_access_key</c>, <c>api_key</c>), at any depth, is removed. Names are compared
/// case-insensitively with <c>-</c> read as <c>_</c>. A few names that end in <c>_key</c> but hold no
/// secret (<c>sticky_key</c>) and flags named <c>has_*</c> (<c>has_secret</c>) are kept.
/// </summary>
public static class Redact
{
    private static readonly HashSet<string> SecretNames = new(StringComparer.Ordinal)
    {
        "secret", "password", "passwd", "token", "credentials", "authorization", "key_material",
    };

    private static readonly string[] SecretSuffixes = ["_secret", "_password", "_token", "_key"];

    private static readonly HashSet<string> NotSecret = new(StringComparer.Ordinal)
    {
        "sticky_key", "routing_key", "partition_key", "sort_key", "idempotency_key",
    };

    /// <summary>True when a property of this name holds a secret.</summary>
    /// <param name="name">The property name.</param>
    public static bool IsSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var n = name.Replace('-', '_').ToLowerInvariant();
        // has_secret and the like say whether there is one, which is no secret.
        if (NotSecret.Contains(n) || n.StartsWith("has_", StringComparison.Ordinal))
        {
            return false;
        }

        return SecretNames.Contains(n) || SecretSuffixes.Any(s => n.EndsWith(s, StringComparison.Ordinal));
    }

    /// <summary>The JSON without its secret properties; null stays null, text that is not JSON is returned unchanged.</summary>
    /// <param name="json">A JSON document, e.g. a resource as the API shows it.</param>
    public static string? Json(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return json;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return json;
        }

        return Node(node) ? node!.ToJsonString() : json;
    }

    /// <summary>Removes the secret properties of a JSON tree in place; true when any was removed.</summary>
    /// <param name="node">The tree.</param>
    public static bool Node(JsonNode? node)
    {
        var changed = false;
        switch (node)
        {
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).Where(IsSecretName).ToList())
                {
                    o.Remove(name);
                    changed = true;
                }

                foreach (var (_, value) in o)
                {
                    changed |= Node(value);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    changed |= Node(item);
                }

                break;
        }

        return changed;
    }
}
