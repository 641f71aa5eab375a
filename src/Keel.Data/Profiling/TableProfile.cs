using System.Text.Json;
using System.Text.Json.Serialization;
using Keel.Core.Errors;

namespace Keel.Data.Profiling;

/// <summary>
/// The profile of one table: row count and per-column statistics. Stored with each dataset
/// version as JSON (snake_case) and used as the reference for drift monitoring.
/// </summary>
/// <param name="RowCount">Rows in the table.</param>
/// <param name="Columns">One profile per column, in table order.</param>
public sealed record TableProfile(long RowCount, IReadOnlyList<ColumnProfile> Columns)
{
    /// <summary>The version of the JSON shape, bumped when fields change meaning.</summary>
    public int FormatVersion { get; init; } = 1;

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The column named <paramref name="name"/>, or null.</summary>
    public ColumnProfile? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>The profile as compact snake_case JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Options);

    /// <summary>Reads a profile written by <see cref="ToJson"/>; INVALID_PARAMETER_VALUE when it is not one.</summary>
    public static TableProfile Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            var profile = JsonSerializer.Deserialize<TableProfile>(json, Options);
            return profile?.Columns is null ? throw KeelException.InvalidParameter("A table profile needs 'row_count' and 'columns'.") : profile;
        }
        catch (JsonException e)
        {
            throw KeelException.InvalidParameter($"Not a table profile: {e.Message}");
        }
    }
}
