using YamlDotNet.Serialization;

namespace Keel.Cli.Commands.Deploy;

/// <summary>
/// Manifest trees are plain ordered maps and lists, so YamlDotNet writes them in the order built
/// and quotes any string a YAML reader would take for a number, a boolean or null.
/// </summary>
internal static class Yaml
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .WithEventEmitter(next => new LiteralBlockEmitter(next))
        .Build();

    /// <summary>An ordered map that leaves out null values, so optional fields simply do not appear.</summary>
    public static Dictionary<string, object> Map(params (string Key, object? Value)[] entries)
    {
        var map = new Dictionary<string, object>(entries.Length, StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                map.Add(key, value);
            }
        }

        return map;
    }

    public static string Write(object document) => Serializer.Serialize(document);
}
