using System.Text;
using System.Text.Json;
using Keel.ML.Data;
using Keel.ML.Scoring;

namespace Keel.ML.Batch;

/// <summary>
/// JSON in, JSON out. JSON Lines files are streamed in chunks: each output line is the input record
/// with the prediction fields added. A <c>.json</c> file holding one MLflow scoring request is
/// answered with <c>{"predictions": ...}</c>; such a request is read whole, as a server would.
/// </summary>
internal static class JsonBatchFile
{
    public static async Task<long> PredictAsync(IModel model, string inputPath, string outputPath, int chunkRows, IProgress<long>? progress, CancellationToken ct)
    {
        if (await IsScoringRequestAsync(inputPath, ct).ConfigureAwait(false))
        {
            var batch = ScoringJson.ParseRequest(await File.ReadAllBytesAsync(inputPath, ct).ConfigureAwait(false));
            var result = model.Predict(batch);
            await File.WriteAllTextAsync(outputPath, ScoringJson.FormatResponse(result), ct).ConfigureAwait(false);
            progress?.Report(result.RowCount);
            return result.RowCount;
        }

        using var reader = new StreamReader(inputPath, Encoding.UTF8, true, 1 << 16);
        await using var stream = File.Create(outputPath);
        var docs = new List<JsonDocument>(Math.Min(chunkRows, 4096));
        long total = 0;
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                while (docs.Count < chunkRows && await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                {
                    if (!string.IsNullOrWhiteSpace(line))
                    {
                        docs.Add(JsonDocument.Parse(line));
                    }
                }

                if (docs.Count == 0)
                {
                    break;
                }

                var outputs = model.Predict(ToBatch(docs)).ToTableColumns();
                WriteLines(stream, docs, outputs);
                total += docs.Count;
                progress?.Report(total);
                foreach (var d in docs)
                {
                    d.Dispose();
                }

                docs.Clear();
            }
        }
        finally
        {
            foreach (var d in docs)
            {
                d.Dispose();
            }
        }

        return total;
    }

    private static async Task<bool> IsScoringRequestAsync(string path, CancellationToken ct)
    {
        // A .json file whose first line is not a complete record is taken to be a scoring request document.
        if (!path.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        using var reader = new StreamReader(path);
        var first = await reader.ReadLineAsync(ct).ConfigureAwait(false) ?? string.Empty;
        try
        {
            using var doc = JsonDocument.Parse(first);
            return doc.RootElement.ValueKind != JsonValueKind.Object ||
                   doc.RootElement.EnumerateObject().Any(p => p.Name is "dataframe_split" or "dataframe_records" or "instances" or "inputs");
        }
        catch (JsonException)
        {
            return true;
        }
    }

    private static ColumnBatch ToBatch(List<JsonDocument> docs)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            // Reusing the dataframe_records parser keeps type inference identical to the REST path.
            writer.WriteStartObject();
            writer.WriteStartArray("dataframe_records");
            foreach (var d in docs)
            {
                d.RootElement.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return ScoringJson.ParseRequest(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    private static void WriteLines(Stream stream, List<JsonDocument> docs, IReadOnlyList<BatchColumn> outputs)
    {
        using var writer = new Utf8JsonWriter(stream);
        for (var i = 0; i < docs.Count; i++)
        {
            writer.WriteStartObject();
            foreach (var prop in docs[i].RootElement.EnumerateObject())
            {
                prop.WriteTo(writer);
            }

            foreach (var o in outputs)
            {
                writer.WritePropertyName(o.Name);
                ScoringJson.WriteRowValue(writer, o, i);
            }

            writer.WriteEndObject();
            writer.Flush();
            stream.WriteByte((byte)'\n');
            writer.Reset(stream);
        }
    }
}
