using System.Text.Json.Serialization;

namespace Keel.Storage.Monitoring;

/// <summary>Source-generated JSON for the row arrays the monitoring SQL expands.</summary>
[JsonSerializable(typeof(IEnumerable<string?[]>), TypeInfoPropertyName = "StringArrayArray")]
internal sealed partial class MonitoringJson : JsonSerializerContext;
