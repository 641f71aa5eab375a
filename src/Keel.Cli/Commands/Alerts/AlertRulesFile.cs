using System.Globalization;
using Keel.Core.Errors;
using Keel.Core.Wire;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Keel.Cli.Commands.Alerts;

/// <summary>
/// Reads alert rules from YAML (or JSON, which is YAML): a mapping with <c>rules:</c>, a list of
/// rules, or one rule. Keys are the API's (<c>min_samples</c>, <c>for</c>, ...); an unknown key or a
/// value of the wrong type is refused naming the rule and the key, so a typo never becomes a
/// silently ignored setting. The values themselves are checked by the alert service.
/// </summary>
internal static class AlertRulesFile
{
    private static readonly string[] Keys = ["name", "endpoint", "metric", "window", "warning", "critical", "direction", "min_samples", "for", "webhooks", "enabled", "secret", "expected_version"];

    public static List<AlertRuleRequest> Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw KeelException.InvalidParameter($"Cannot read alert rules file '{path}': {e.Message}");
        }

        return Parse(text, path);
    }

    public static List<AlertRuleRequest> Parse(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw KeelException.InvalidParameter($"{source} is not valid YAML at line {e.Start.Line}: {e.Message}");
        }

        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        var items = root switch
        {
            YamlMappingNode m when m.Children.ContainsKey(new YamlScalarNode("rules")) => m.Children.Count == 1
                ? m.Children[new YamlScalarNode("rules")] as YamlSequenceNode ?? throw Invalid(source, "'rules' must be a list of rules")
                : throw Invalid(source, "beside 'rules' no other top-level key is allowed"),
            YamlMappingNode m => new YamlSequenceNode(m),
            YamlSequenceNode s => s,
            _ => throw Invalid(source, "expected a mapping with 'rules:', a list of rules, or one rule"),
        };

        var rules = new List<AlertRuleRequest>();
        foreach (var (node, index) in items.Children.Select((n, i) => (n, i)))
        {
            rules.Add(Rule(node, source, index));
        }

        return rules.Count == 0 ? throw Invalid(source, "it holds no rules") : rules;
    }

    private static AlertRuleRequest Rule(YamlNode node, string source, int index)
    {
        if (node is not YamlMappingNode map)
        {
            throw Invalid(source, string.Create(CultureInfo.InvariantCulture, $"rule #{index + 1} is not a mapping of keys to values"));
        }

        var label = map.Children.TryGetValue(new YamlScalarNode("name"), out var n) && n is YamlScalarNode { Value: { } name } ? $"rule '{name}'" : string.Create(CultureInfo.InvariantCulture, $"rule #{index + 1}");
        var rule = new AlertRuleRequest();
        foreach (var (keyNode, value) in map.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? string.Empty;
            switch (key)
            {
                case "name": rule.Name = Text(value, source, label, key); break;
                case "endpoint": rule.Endpoint = Text(value, source, label, key); break;
                case "metric": rule.Metric = Text(value, source, label, key); break;
                case "window": rule.Window = Text(value, source, label, key); break;
                case "warning": rule.Warning = Number(value, source, label, key); break;
                case "critical": rule.Critical = Number(value, source, label, key); break;
                case "direction": rule.Direction = Text(value, source, label, key); break;
                case "min_samples": rule.MinSamples = Whole(value, source, label, key); break;
                case "for": rule.For = Whole(value, source, label, key); break;
                case "enabled": rule.Enabled = Bool(value, source, label, key); break;
                case "secret": rule.Secret = Text(value, source, label, key); break;
                case "expected_version": rule.ExpectedVersion = Whole(value, source, label, key); break;
                case "webhooks":
                    rule.Webhooks = value is YamlSequenceNode list
                        ? [.. list.Children.Select(item => Text(item, source, label, key) ?? string.Empty)]
                        : throw Invalid(source, $"{label}: 'webhooks' must be a list of URLs");
                    break;
                default:
                    throw Invalid(source, $"{label}: unknown key '{key}' (known keys: {string.Join(", ", Keys)})");
            }
        }

        return rule;
    }

    private static string? Text(YamlNode node, string source, string label, string key) =>
        node is YamlScalarNode scalar ? scalar.Value : throw Invalid(source, $"{label}: '{key}' must be a single value");

    private static double? Number(YamlNode node, string source, string label, string key) =>
        Text(node, source, label, key) is not { } text ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(source, $"{label}: '{key}' must be a number, not '{text}'");

    private static long? Whole(YamlNode node, string source, string label, string key) =>
        Text(node, source, label, key) is not { } text ? null
        : long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(source, $"{label}: '{key}' must be a whole number, not '{text}'");

    private static bool? Bool(YamlNode node, string source, string label, string key) =>
        Text(node, source, label, key) switch
        {
            null => null,
            "true" => true,
            "false" => false,
            var other => throw Invalid(source, $"{label}: '{key}' must be true or false, not '{other}'"),
        };

    private static KeelException Invalid(string source, string what) => KeelException.InvalidParameter($"{source}: {what}.");
}
