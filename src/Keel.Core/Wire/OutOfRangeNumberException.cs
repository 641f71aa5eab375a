using System.Text.Json;

namespace Keel.Core.Wire;

/// <summary>
/// A JSON number too large for its field (<c>1e400</c> for a double). Thrown by
/// <see cref="FiniteDoubleConverter"/>; the serializer adds the field's path, and the server turns
/// it into a 400 that names the field and the rule.
/// </summary>
public sealed class OutOfRangeNumberException : JsonException
{
    public OutOfRangeNumberException()
    {
    }

    public OutOfRangeNumberException(string message)
        : base(message)
    {
    }

    public OutOfRangeNumberException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The number as it was written in the request.</summary>
    public string RawValue { get; init; } = string.Empty;
}
