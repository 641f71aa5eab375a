using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Keel.Core.Configuration;
using Keel.Core.IO;
using Keel.Core.Serving;
using Keel.ML.Data;

namespace Keel.Serving.Logging;

/// <summary>
/// Applies an endpoint's <c>sensitive_columns</c> to the logged copy of its inputs: masked values become
/// <c>"***"</c>, hashed ones <c>"hmac:&lt;hex HMAC-SHA256&gt;"</c> under the server's key (stable, so equal values
/// still count as one), dropped columns are left out. The key is KEEL_PREDICTION_LOG_HASH_KEY, else one
/// generated once and kept in the data directory, readable by the owner only; it is read the first time a
/// hashed column is logged, so a server without one never creates it. Replicas that share a prediction
/// log but not a data directory must set the variable, or the same value hashes differently on each.
/// </summary>
internal sealed class PredictionLogProtection
{
    /// <summary>What a masked value is logged as.</summary>
    public const string Masked = "***";

    /// <summary>The prefix of a hashed value.</summary>
    public const string HashPrefix = "hmac:";

    /// <summary>The key file's name in the data directory.</summary>
    public const string KeyFileName = "prediction-log-hash.key";

    private readonly Lazy<byte[]> _key;

    public PredictionLogProtection(string dataDir) =>
        _key = new Lazy<byte[]>(() => LoadKey(dataDir), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>With a given key (tests).</summary>
    internal PredictionLogProtection(byte[] key) => _key = new Lazy<byte[]>(key);

    /// <summary>Writes one input column as the log keeps it; false when the column is dropped (nothing written).</summary>
    public bool TryWrite(Utf8JsonWriter w, string name, BatchColumn column, SensitiveColumnMode mode)
    {
        if (mode == SensitiveColumnMode.Drop)
        {
            return false;
        }

        w.WritePropertyName(name);
        w.WriteStartArray();
        var values = column.Data;
        for (var i = 0; i < values.Length; i++)
        {
            var text = Text(values.GetValue(i));
            if (text is null)
            {
                w.WriteNullValue();
            }
            else if (mode == SensitiveColumnMode.Mask)
            {
                w.WriteStringValue(Masked);
            }
            else
            {
                w.WriteStringValue(Hash(text));
            }
        }

        w.WriteEndArray();
        return true;
    }

    /// <summary>The logged form of a hashed value.</summary>
    public string Hash(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(_key.Value, bytes, mac);
        return HashPrefix + Convert.ToHexStringLower(mac);
    }

    // Missing values stay missing (null), so the log still shows which rows had none.
    private static string? Text(object? value) => value switch
    {
        null => null,
        double d when !double.IsFinite(d) => null,
        float f when !float.IsFinite(f) => null,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        string s => s,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    private static byte[] LoadKey(string dataDir)
    {
        if (KeelEnvironment.Text(KeelEnvironment.PredictionLogHashKey) is { } configured)
        {
            return Encoding.UTF8.GetBytes(configured);
        }

        OwnerOnly.CreateDirectory(dataDir);
        var path = Path.Combine(dataDir, KeyFileName);
        if (!File.Exists(path))
        {
            var fresh = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnly.FileMode;
            }

            try
            {
                using var file = new FileStream(path, options);
                file.Write(Encoding.ASCII.GetBytes(fresh));
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another process sharing the data directory created it first: its key is the one.
            }
        }

        var key = File.ReadAllText(path).Trim();
        return key.Length > 0 ? Encoding.UTF8.GetBytes(key) : throw new InvalidDataException($"The prediction log hash key file '{path}' is empty; delete it to have a new one made.");
    }
}
