using System.Text;
using System.Text.Json;
using Keel.Core.Serving;
using Keel.ML.Data;
using Keel.Serving.Logging;
using Xunit;

namespace Keel.Serving.Tests.Logging;

public sealed class PredictionLogProtectionTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "keel-protect-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void The_key_is_made_once_owner_only_and_hashes_are_stable_across_restarts()
    {
        var first = new PredictionLogProtection(_dir).Hash("alice@example.com");
        var keyFile = Path.Combine(_dir, PredictionLogProtection.KeyFileName);
        Assert.True(File.Exists(keyFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        Assert.Equal(first, new PredictionLogProtection(_dir).Hash("alice@example.com"));
        Assert.NotEqual(first, new PredictionLogProtection(_dir).Hash("bob@example.com"));
        Assert.StartsWith("hmac:", first, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", first, StringComparison.Ordinal);
    }

    [Fact]
    public void No_key_file_is_made_until_a_value_is_hashed()
    {
        _ = new PredictionLogProtection(_dir);
        Assert.False(File.Exists(Path.Combine(_dir, PredictionLogProtection.KeyFileName)));
    }

    [Fact]
    public void Columns_are_masked_hashed_or_dropped_and_missing_values_stay_missing()
    {
        var protection = new PredictionLogProtection(Encoding.UTF8.GetBytes("test-key"));
        var column = BatchColumn.Of("email", ["a@x.io", null, "a@x.io"]);
        Assert.Equal("""{"email":["***",null,"***"]}""", Write(protection, column, SensitiveColumnMode.Mask));

        var hashed = JsonDocument.Parse(Write(protection, column, SensitiveColumnMode.Hash)).RootElement.GetProperty("email");
        Assert.Equal(hashed[0].GetString(), hashed[2].GetString());
        Assert.Equal(JsonValueKind.Null, hashed[1].ValueKind);
        Assert.Equal(protection.Hash("a@x.io"), hashed[0].GetString());

        Assert.Equal("{}", Write(protection, column, SensitiveColumnMode.Drop));
        Assert.Equal("""{"age":["***","***"]}""", Write(protection, BatchColumn.Of("age", [41.5, 7.0]), SensitiveColumnMode.Mask));
    }

    private static string Write(PredictionLogProtection protection, BatchColumn column, SensitiveColumnMode mode)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            protection.TryWrite(w, column.Name, column, mode);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
