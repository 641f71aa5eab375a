using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Keel.Bench;

/// <summary>
/// log-batch request bodies of <c>points</c> metric points over ten keys (m0..m9). The driver shares
/// the machine with the server, so bodies are assembled from pre-encoded UTF-8 pieces and only the
/// step numbers change: request <c>i</c> of a run carries steps <c>i * (points / 10)</c> onwards, so
/// no point of one run repeats another and nothing is deduplicated by the store.
/// </summary>
internal sealed class LogBatchBodies
{
    private readonly byte[][] _pieces;
    private readonly int _stepsPerRequest;

    public LogBatchBodies(int points)
    {
        if (points <= 0 || points % 10 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(points), points, "a positive multiple of 10");
        }

        Points = points;
        _stepsPerRequest = points / 10;
        _pieces = Enumerable.Range(0, points).Select(k => Encoding.UTF8.GetBytes(
            (k == 0 ? string.Empty : ",")
            + $"{{\"key\":\"m{k % 10}\",\"value\":{(k * 0.001).ToString("R", CultureInfo.InvariantCulture)},\"timestamp\":1700000000000,\"step\":")).ToArray();
    }

    public int Points { get; }

    /// <summary>The body of request number <paramref name="request"/> (0, 1, ...) to <paramref name="runId"/>.</summary>
    public ReadOnlyMemory<byte> Build(string runId, long request)
    {
        var body = new ArrayBufferWriter<byte>(80 * Points);
        body.Write(Encoding.UTF8.GetBytes($"{{\"run_id\":\"{runId}\",\"metrics\":["));
        for (var k = 0; k < Points; k++)
        {
            body.Write(_pieces[k]);
            Utf8Formatter.TryFormat((request * _stepsPerRequest) + (k / 10), body.GetSpan(20), out var written);
            body.Advance(written);
            body.Write("}"u8);
        }

        body.Write("]}"u8);
        return body.WrittenMemory;
    }
}
