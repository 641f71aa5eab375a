using System.Text;
using System.Text.Json;

namespace Keel.Core.Governance;

/// <summary>Small JSON objects for before/after states that have no API type of their own (an alias, a tag).</summary>
public static class AuditJson
{
    /// <summary>A flat JSON object of string (or null) properties, in the order given.</summary>
    /// <param name="properties">Name and value pairs.</param>
    public static string Object(params (string Name, string? Value)[] properties)
    {
        ArgumentNullException.ThrowIfNull(properties);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in properties)
            {
                if (value is null)
                {
                    writer.WriteNull(name);
                }
                else
                {
                    writer.WriteString(name, value);
                }
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
