using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Keel.Core.Errors;

namespace Keel.Data.Content;

/// <summary>
/// The canonical bytes of a manifest: compact JSON with a fixed property order, files sorted by
/// path (ordinal), chunks as <c>[digest, size]</c> pairs. The manifest digest is BLAKE3 of exactly
/// these bytes, so it depends on the content alone, never on enumeration order or the machine.
/// </summary>
internal static class ManifestCodec
{
    public const string Format = "keel.dataset.v1";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Paths keep their UTF-8 as is: the output is still deterministic and stays readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    public static DatasetManifest Create(bool isSingleFile, List<ManifestFile> files)
    {
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        var bytes = Encode(isSingleFile, files);
        return new DatasetManifest(ContentHash.Compute(bytes).ToString(), isSingleFile, files);
    }

    public static byte[] Encode(DatasetManifest manifest) => Encode(manifest.IsSingleFile, manifest.Files);

    private static byte[] Encode(bool isSingleFile, IReadOnlyList<ManifestFile> files)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (files.Count * 160));
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteString("chunking", GearChunker.Name);
            writer.WriteString("kind", isSingleFile ? "file" : "directory");
            writer.WriteStartArray("files");
            foreach (var file in files)
            {
                writer.WriteStartObject();
                writer.WriteString("path", file.Path);
                writer.WriteNumber("size", file.Size);
                writer.WriteString("digest", file.Digest);
                writer.WriteStartArray("chunks");
                foreach (var chunk in file.Chunks)
                {
                    writer.WriteStartArray();
                    writer.WriteStringValue(chunk.Digest);
                    writer.WriteNumberValue(chunk.Size);
                    writer.WriteEndArray();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Parses and checks a stored manifest; <paramref name="name"/> is its object path, for errors.</summary>
    public static DatasetManifest Decode(ReadOnlySpan<byte> bytes, string expectedDigest, string name)
    {
        var digest = ContentHash.Compute(bytes).ToString();
        if (!string.Equals(digest, expectedDigest, StringComparison.Ordinal))
        {
            throw Corrupt(name, $"its BLAKE3 digest is {digest}");
        }

        try
        {
            using var document = JsonDocument.Parse(bytes.ToArray());
            var root = document.RootElement;
            if (root.GetProperty("format").GetString() != Format)
            {
                throw Corrupt(name, $"unknown format '{root.GetProperty("format")}'");
            }

            if (root.GetProperty("chunking").GetString() != GearChunker.Name)
            {
                throw Corrupt(name, $"unknown chunking '{root.GetProperty("chunking")}'");
            }

            var isSingleFile = root.GetProperty("kind").GetString() switch
            {
                "file" => true,
                "directory" => false,
                var other => throw Corrupt(name, $"unknown kind '{other}'"),
            };
            var filesElement = root.GetProperty("files");
            var files = new List<ManifestFile>(filesElement.GetArrayLength());
            foreach (var element in filesElement.EnumerateArray())
            {
                files.Add(DecodeFile(element, name));
            }

            for (var i = 1; i < files.Count; i++)
            {
                if (string.CompareOrdinal(files[i - 1].Path, files[i].Path) >= 0)
                {
                    throw Corrupt(name, "its paths are not sorted and unique");
                }
            }

            return new DatasetManifest(digest, isSingleFile, files);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw Corrupt(name, e.Message);
        }
    }

    private static ManifestFile DecodeFile(JsonElement element, string name)
    {
        var path = element.GetProperty("path").GetString() ?? string.Empty;
        if (!RelativePaths.IsSafe(path))
        {
            throw Corrupt(name, $"unsafe path '{path}'");
        }

        var size = element.GetProperty("size").GetInt64();
        var digest = element.GetProperty("digest").GetString() ?? string.Empty;
        var chunkElements = element.GetProperty("chunks");
        var chunks = new List<ManifestChunk>(chunkElements.GetArrayLength());
        var hashes = new ContentHash[chunks.Capacity];
        long sum = 0;
        foreach (var pair in chunkElements.EnumerateArray())
        {
            var chunkDigest = pair[0].GetString();
            var chunkSize = pair[1].GetInt32();
            if (!ContentHash.TryParse(chunkDigest, out var hash) || chunkSize <= 0 || chunkSize > GearChunker.MaxSize)
            {
                throw Corrupt(name, $"a bad chunk in '{path}'");
            }

            hashes[chunks.Count] = hash;
            chunks.Add(new ManifestChunk(chunkDigest!, chunkSize));
            sum += chunkSize;
        }

        if (sum != size || !string.Equals(FileDigest.Compute(size, hashes).ToString(), digest, StringComparison.Ordinal))
        {
            throw Corrupt(name, $"the entry of '{path}' does not match its chunks");
        }

        return new ManifestFile(path, size, digest, chunks);
    }

    private static KeelException Corrupt(string name, string reason) =>
        new(ErrorCode.InternalError, $"Corrupt dataset manifest {name}: {reason}");
}
