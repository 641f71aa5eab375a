using System.Text.Json;
using System.Text.RegularExpressions;

namespace Keel.Server.Governance;

/// <summary>The name a pipeline definition declares, read before the definition is parsed in full so its environment's role can be checked.</summary>
internal static partial class PipelineNames
{
    /// <summary>The top-level <c>name</c> of a JSON or YAML definition, or null when it declares none.</summary>
    public static string? Declared(string definition)
    {
        var text = definition.TrimStart();
        if (text.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                return document.RootElement.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }

        var match = TopLevelName().Match(definition);
        return match.Success ? match.Groups["name"].Value.Trim('"', '\'') : null;
    }

    [GeneratedRegex(@"^name:[ \t]*(?<name>[^\s#]+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelName();
}
