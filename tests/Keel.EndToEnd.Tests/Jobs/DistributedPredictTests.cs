using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Keel.Client;
using Keel.Core.Jobs;
using Keel.EndToEnd.Tests.Http;
using Keel.EndToEnd.Tests.Infrastructure;
using Keel.ML.Tests;
using Parquet;
using Parquet.Schema;
using Xunit;

namespace Keel.EndToEnd.Tests.Jobs;

/// <summary>
/// `keel predict --distributed` against a real server with real `keel worker` processes: the output
/// is complete, in input order and equal to a single-process prediction, also when a worker is
/// killed while it holds a part (its lease lapses and another worker scores the part again).
/// </summary>
public sealed class DistributedPredictTests : IAsyncLifetime
{
    private const string Columns = """[{"type": "double", "name": "a", "required": true}, {"type": "double", "name": "b", "required": true}, {"type": "double", "name": "c", "required": true}]""";
    private readonly string _work = TempDirs.Create("keel-distributed");
    private readonly List<Process> _processes = [];
    private KeelServerProcess _server = null!;
    private KeelClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await KeelServerProcess.StartAsync();
        _client = new KeelClient(_server.BaseUri);
    }

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            if (!process.HasExited)
            {
                Signal(process, "CONT");
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        _client.Dispose();
        await _server.DisposeAsync();
        TempDirs.TryDelete(_work);
    }

    [Fact]
    public async Task A_worker_killed_mid_part_loses_nothing_and_the_output_equals_the_single_process_prediction()
    {
        var model = await RegisterModelAsync();
        var input = Path.Combine(_work, "big.parquet");
        await WriteParquetAsync(input, groups: 12, rowsPerGroup: 2_000);
        var single = Path.Combine(_work, "single.parquet");
        var (code, _, stderr) = await KeelCli.RunAsync(["predict", "--model", model, "--input", input, "--output", single, "--tracking-uri", Uri]);
        Assert.True(code == 0, stderr);

        // Worker A alone first, so it certainly takes a part; frozen (SIGSTOP) while it holds one, then killed.
        var workerA = StartWorker("worker-a");
        var distributed = Path.Combine(_work, "distributed.parquet");
        var predict = Start(["predict", "--model", model, "--input", input, "--output", distributed, "--distributed", "--tracking-uri", Uri]);
        var held = await FreezeWhileHoldingAsync(workerA, "worker-a");
        workerA.Kill();
        await workerA.WaitForExitAsync();

        var workerB = StartWorker("worker-b");
        using (var deadline = Eventually.Deadline(TimeSpan.FromMinutes(3)))
        {
            await predict.WaitForExitAsync(deadline.Token);
        }

        Assert.True(predict.ExitCode == 0, await predict.StandardError.ReadToEndAsync());
        var redelivered = (await _client.GetJobAsync(held))!;
        Assert.Equal((JobState.Succeeded, 2, "worker-b"), (redelivered.State, redelivered.Attempts, redelivered.LeaseOwner));
        Assert.Contains("worker-a", redelivered.LastError, StringComparison.Ordinal);
        await AssertSameParquetAsync(single, distributed);
        Assert.False(Directory.Exists(distributed + ".parts"), "the part files are removed once the output is assembled");

        // SIGTERM stops a worker cleanly.
        Signal(workerB, "TERM");
        using (var deadline = Eventually.Deadline(TimeSpan.FromSeconds(60)))
        {
            await workerB.WaitForExitAsync(deadline.Token);
        }

        Assert.Equal(0, workerB.ExitCode);
    }

    [Fact]
    public async Task Csv_parts_scored_by_two_workers_concatenate_to_the_single_process_output()
    {
        var model = await RegisterModelAsync();
        var input = Path.Combine(_work, "big.csv");
        await File.WriteAllLinesAsync(input, ["id,a,b,c,note", .. Enumerable.Range(0, 5_000).Select(i => Row(i) + FormattableString.Invariant($",\"n, {i}\""))]);
        var single = Path.Combine(_work, "single.csv");
        var (code, _, stderr) = await KeelCli.RunAsync(["predict", "--model", model, "--input", input, "--output", single, "--tracking-uri", Uri]);
        Assert.True(code == 0, stderr);

        StartWorker("worker-c", "--concurrency", "2");
        StartWorker("worker-d");
        var distributed = Path.Combine(_work, "distributed.csv");
        (code, _, stderr) = await KeelCli.RunAsync(
            ["predict", "--model", model, "--input", input, "--output", distributed, "--distributed", "--rows-per-part", "700", "--tracking-uri", Uri], timeout: TimeSpan.FromMinutes(3));
        Assert.True(code == 0, stderr);
        Assert.Equal(await File.ReadAllBytesAsync(single), await File.ReadAllBytesAsync(distributed));

        var jobs = await _client.ListJobsAsync(JobState.Succeeded, "batch-score", 0, 100);
        Assert.Equal(8, jobs.Count);
        Assert.All(jobs, j => Assert.Contains(model.Split('@')[0], j.Payload, StringComparison.Ordinal));
        Assert.DoesNotContain(jobs, j => j.Payload.Contains("@champion", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Distributed_prediction_refuses_an_embedded_queue_and_json_input()
    {
        var input = Path.Combine(_work, "in.jsonl");
        await File.WriteAllTextAsync(input, "{\"a\": 1}\n");
        var (code, _, stderr) = await KeelCli.RunAsync(["predict", "--model", "models:/m/1", "--input", input, "--distributed", "--tracking-uri", Uri]);
        Assert.Equal(6, code);
        Assert.Contains("--distributed splits CSV and Parquet", OneLine(stderr), StringComparison.Ordinal);

        var csv = Path.Combine(_work, "in.csv");
        await File.WriteAllTextAsync(csv, "a,b,c\n1,2,3\n");
        (code, _, stderr) = await KeelCli.RunAsync(["predict", "--model", "models:/m/1", "--input", csv, "--distributed", "--data-dir", Path.Combine(_work, "data")]);
        Assert.Equal(6, code);
        Assert.Contains("--distributed needs a queue that workers can reach", OneLine(stderr), StringComparison.Ordinal);
    }

    // The console wraps long messages at its width.
    private static string OneLine(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    private string Uri => _server.BaseUri.ToString();

    private static string Row(int i) => FormattableString.Invariant($"{i},{i * 0.5},{i % 7},{-i * 0.25}");

    private Process Start(IEnumerable<string> args, IDictionary<string, string?>? env = null)
    {
        var process = KeelCli.Start(args, env);
        _processes.Add(process);
        return process;
    }

    private Process StartWorker(string id, params string[] extra)
    {
        // Each worker has its own model cache, as on its own machine.
        var process = Start(
            ["worker", "--tracking-uri", Uri, "--worker-id", id, "--lease-seconds", "2", "--poll-seconds", "0.05", .. extra],
            new Dictionary<string, string?> { ["KEEL_DATA_DIR"] = Path.Combine(_work, id) });
        // Drained so a chatty worker never blocks on a full pipe.
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    /// <summary>Stops the worker (SIGSTOP) at a moment it holds a lease and returns that job; lets it run on (SIGCONT) and tries again when the part finished first.</summary>
    private async Task<long> FreezeWhileHoldingAsync(Process worker, string workerId)
    {
        using var deadline = Eventually.Deadline(TimeSpan.FromMinutes(2));
        while (true)
        {
            deadline.Token.ThrowIfCancellationRequested();
            Assert.False(worker.HasExited, "the worker exited");
            if ((await HeldByAsync(workerId)).Count > 0)
            {
                Signal(worker, "STOP");
                // Frozen now: whatever it holds stays held until its lease lapses.
                if ((await HeldByAsync(workerId)).FirstOrDefault() is { } held)
                {
                    return held.Id;
                }

                Signal(worker, "CONT");
            }

            await Task.Delay(10, deadline.Token);
        }
    }

    private async Task<List<Job>> HeldByAsync(string workerId) =>
        [.. (await _client.ListJobsAsync(JobState.Leased, "batch-score", 0, 1000)).Where(j => j.LeaseOwner == workerId)];

    private static void Signal(Process process, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    private async Task<string> RegisterModelAsync()
    {
        using var http = new HttpClient { BaseAddress = _server.BaseUri };
        var api = new MlflowApi(http);
        var exp = await api.CreateExperimentAsync();
        var run = await api.CreateRunAsync(exp);
        var package = MlflowFixtures.WriteModelDirectory(Path.Combine(_work, "model-" + run), OnnxModelBuilder.LinearRegressor([0.5f, -1f, 2f], 0.25f), MlflowFixtures.RegressorMlModel(Columns));
        foreach (var file in Directory.EnumerateFiles(package))
        {
            using var content = new ByteArrayContent(await File.ReadAllBytesAsync(file));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            using var put = await http.PutAsync(new Uri($"/api/2.0/mlflow-artifacts/artifacts/{exp}/{run}/artifacts/model/{Path.GetFileName(file)}", UriKind.Relative), content);
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        var name = "dist-" + Guid.NewGuid().ToString("N")[..8];
        await api.OkAsync("registered-models/create", new { name });
        await api.OkAsync("model-versions/create", new { name, source = $"runs:/{run}/model", run_id = run });
        await api.OkAsync("registered-models/alias", new { name, alias = "champion", version = "1" });
        return $"models:/{name}@champion";
    }

    private static async Task WriteParquetAsync(string path, int groups, int rowsPerGroup)
    {
        var fields = new DataField[] { new DataField<long>("id"), new DataField<double>("a"), new DataField<double>("b"), new DataField<double>("c") };
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream);
        for (var g = 0; g < groups; g++)
        {
            var ids = Enumerable.Range(g * rowsPerGroup, rowsPerGroup).ToArray();
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(fields[0], (ReadOnlyMemory<long>)ids.Select(i => (long)i).ToArray());
            await group.WriteAsync(fields[1], (ReadOnlyMemory<double>)ids.Select(i => i * 0.5).ToArray());
            await group.WriteAsync(fields[2], (ReadOnlyMemory<double>)ids.Select(i => (double)(i % 7)).ToArray());
            await group.WriteAsync(fields[3], (ReadOnlyMemory<double>)ids.Select(i => -i * 0.25).ToArray());
        }
    }

    private static async Task AssertSameParquetAsync(string expectedPath, string actualPath)
    {
        await using var expectedStream = File.OpenRead(expectedPath);
        await using var actualStream = File.OpenRead(actualPath);
        await using var expected = await ParquetReader.CreateAsync(expectedStream);
        await using var actual = await ParquetReader.CreateAsync(actualStream);
        var fields = expected.Schema.GetDataFields();
        Assert.Equal(fields.Select(f => (f.Name, f.ClrType)), actual.Schema.GetDataFields().Select(f => (f.Name, f.ClrType)));
        Assert.Equal(expected.RowGroupCount, actual.RowGroupCount);
        for (var g = 0; g < expected.RowGroupCount; g++)
        {
            using var left = expected.OpenRowGroupReader(g);
            using var right = actual.OpenRowGroupReader(g);
            Assert.Equal(left.RowCount, right.RowCount);
            var actualFields = actual.Schema.GetDataFields();
            for (var c = 0; c < fields.Length; c++)
            {
                Assert.Equal(await ColumnAsync(left, fields[c]), await ColumnAsync(right, actualFields[c]));
            }
        }
    }

    // The columns these files hold (id, a, b, c, prediction), read as values to compare.
    private static async Task<object[]> ColumnAsync(ParquetRowGroupReader group, DataField field)
    {
        var rows = (int)group.RowCount;
        if (field.ClrType == typeof(long))
        {
            var values = new long[rows];
            await group.ReadAsync(field, values.AsMemory());
            return [.. values.Cast<object>()];
        }

        if (field.ClrType == typeof(double))
        {
            var values = new double[rows];
            await group.ReadAsync(field, values.AsMemory());
            return [.. values.Cast<object>()];
        }

        var floats = new float[rows];
        await group.ReadAsync(field, floats.AsMemory());
        return [.. floats.Cast<object>()];
    }
}
