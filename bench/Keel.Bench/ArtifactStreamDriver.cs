using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Keel.Bench;

/// <summary>
/// `keel-bench artifacts-stream`: uploads one large artifact through a real `keel server`'s
/// mlflow-artifacts proxy as a chunked body of unknown length (as a streaming client sends it),
/// downloads it back, checks the SHA-256 both ways, and reports throughput and the server's peak
/// resident memory (VmHWM). The destination is the server's data dir, or S3 with --destination
/// s3://bucket/prefix (MLFLOW_S3_ENDPOINT_URL and AWS_* from the environment, e.g. after
/// `source .ci/services/s3.sh`; a fresh prefix is added under it).
/// </summary>
internal static class ArtifactStreamDriver
{
    private const int Chunk = 1024 * 1024;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var keelDll = Arg(args, "--keel-dll") ?? Path.Combine(RepoRoot(), "src/Keel.Cli/bin/Release/net10.0/keel.dll");
        var sizeMb = long.Parse(Arg(args, "--size-mb") ?? "2048", Inv);
        var destination = Arg(args, "--destination");
        if (!File.Exists(keelDll))
        {
            Console.Error.WriteLine($"{keelDll} not found: run `dotnet build -c Release src/Keel.Cli` first.");
            return 2;
        }

        string[] extra = destination is null ? [] : ["--artifacts-destination", $"{destination.TrimEnd('/')}/bench-{Guid.NewGuid():N}"];
        Console.WriteLine($"# artifacts-stream  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  {sizeMb} MiB  destination {(destination is null ? "local files" : destination)}");
        await using var server = await ServerUnderTest.StartAsync(keelDll, extra);
        using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = Timeout.InfiniteTimeSpan };
        var url = new Uri("/api/2.0/mlflow-artifacts/artifacts/bench/0/artifacts/blob.bin", UriKind.Relative);
        var idle = server.RssBytes();

        var bytes = sizeMb * 1024 * 1024;
        var source = new PatternStream(bytes);
        var watch = Stopwatch.StartNew();
        using (var content = new StreamContent(source, Chunk))
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var put = await http.PutAsync(url, content);
            put.EnsureSuccessStatusCode();
        }

        var upload = watch.Elapsed;
        var peakAfterUpload = server.PeakRssBytes();

        watch.Restart();
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long received = 0;
        await using (var body = await response.Content.ReadAsStreamAsync())
        {
            var buffer = new byte[Chunk];
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                received += read;
            }
        }

        var download = watch.Elapsed;
        var intact = received == bytes && hash.GetHashAndReset().AsSpan().SequenceEqual(source.Sha256());
        var peak = server.PeakRssBytes();
        using (var delete = await http.DeleteAsync(new Uri("/api/2.0/mlflow-artifacts/artifacts/bench", UriKind.Relative)))
        {
            delete.EnsureSuccessStatusCode();
        }

        Console.WriteLine("| phase | time | throughput | server peak RSS (VmHWM) |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine(string.Create(Inv, $"| idle before | | | {idle / 1048576.0:0} MiB (RSS) |"));
        Console.WriteLine(string.Create(Inv, $"| upload {sizeMb} MiB (chunked PUT) | {upload.TotalSeconds:0.0} s | {sizeMb / upload.TotalSeconds:0} MiB/s | {peakAfterUpload / 1048576.0:0} MiB |"));
        Console.WriteLine(string.Create(Inv, $"| download {sizeMb} MiB (GET) | {download.TotalSeconds:0.0} s | {sizeMb / download.TotalSeconds:0} MiB/s | {peak / 1048576.0:0} MiB |"));
        Console.WriteLine(intact ? "content: intact (size and SHA-256 match)" : $"content: CORRUPT ({received} of {bytes} bytes or hash mismatch)");
        return intact ? 0 : 1;
    }

    private static string? Arg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Keel.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    /// <summary>A non-seekable body of a fixed length (so the client sends it chunked), hashed as it is read.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private readonly byte[] _block = RandomNumberGenerator.GetBytes(Chunk + 7);
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _position;
        private byte[]? _digest;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public byte[] Sha256() => _digest ?? throw new InvalidOperationException("the body was not read to the end");

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            // A block one chunk plus 7 bytes long, read at a rolling offset: no two chunks are alike.
            var count = (int)Math.Min(Math.Min(buffer.Length, Chunk), length - _position);
            var start = (int)(_position % 7);
            _block.AsSpan(start, count).CopyTo(buffer);
            _hash.AppendData(buffer[..count]);
            _position += count;
            if (_position == length && _digest is null)
            {
                _digest = _hash.GetHashAndReset();
            }

            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
