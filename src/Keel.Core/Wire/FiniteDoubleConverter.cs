using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Keel.Core.Wire;

/// <summary>
/// Reads doubles so that a number literal outside the range of a double (<c>1e400</c>) is refused
/// instead of silently becoming +Infinity (MLflow's protobuf parser refuses it too and asks for the
/// quoted "Infinity"). Strings and the named literals "NaN", "Infinity" and "-Infinity" are read
/// only where the context's <see cref="JsonNumberHandling"/> allows them, so each context keeps its
/// contract. Non-finite values are written as those named strings.
/// </summary>
public sealed class FiniteDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                return reader.TryGetDouble(out var number) && double.IsFinite(number) ? number : throw OutOfRange(Raw(ref reader));
            case JsonTokenType.String:
                var text = reader.GetString() ?? string.Empty;
                if ((options.NumberHandling & JsonNumberHandling.AllowNamedFloatingPointLiterals) != 0)
                {
                    switch (text)
                    {
                        case "NaN":
                            return double.NaN;
                        case "Infinity":
                            return double.PositiveInfinity;
                        case "-Infinity":
                            return double.NegativeInfinity;
                    }
                }

                if ((options.NumberHandling & JsonNumberHandling.AllowReadingFromString) != 0
                    && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
                {
                    // "1e400" overflows; a spelled-out infinity ("infinity") is what the client meant.
                    return double.IsInfinity(parsed) && text.Any(char.IsAsciiDigit) ? throw OutOfRange(text) : parsed;
                }

                throw new JsonException("Expected a number.");
            default:
                throw new JsonException("Expected a number.");
        }
    }

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static string Raw(ref Utf8JsonReader reader) =>
        Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray());

    private static OutOfRangeNumberException OutOfRange(string raw) =>
        new("The number is outside the range of a 64-bit float; send \"Infinity\" or \"-Infinity\" as a string for an infinite value.") { RawValue = raw };
}
