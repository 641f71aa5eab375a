using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Keel.Bench;

/// <summary>
/// The web UI in Chromium (issue 13): a Release `keel server` on a fresh data dir is filled with
/// an experiment of 10,000 runs, a run with a 100,000-point metric and 100 runs to compare; then
/// Debian's Chromium (driven by Playwright) opens each page in a fresh browser context (cold: no
/// cache), in a new tab of the same context (the UI's files cached) and by navigating inside the
/// app (in-app), timing from navigation to the moment a person sees
/// the content: the first row of the runs table, the metric chart's canvas, the compare page's
/// overlaid chart and all 100 lines of its parallel coordinates. Also the UI's size: every file
/// gzip-compressed, and what the browser actually transferred for the runs page. Usage:
///   dotnet bench/Keel.Bench/bin/Release/net10.0/Keel.Bench.dll ui [--runs 10000] [--points 100000] [--compare 100] [--repeat 5] [--chromium /usr/bin/chromium] [--trace]
/// --trace prints the request timeline of each page's first cold load.
/// </summary>
internal static class UiBench
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = int.Parse(LoadDriver.Arg(args, "--runs") ?? "10000", Inv);
        var points = int.Parse(LoadDriver.Arg(args, "--points") ?? "100000", Inv);
        var compare = int.Parse(LoadDriver.Arg(args, "--compare") ?? "100", Inv);
        var repeat = int.Parse(LoadDriver.Arg(args, "--repeat") ?? "5", Inv);
        var chromium = LoadDriver.Arg(args, "--chromium") ?? "/usr/bin/chromium";
        var keelDll = LoadDriver.Arg(args, "--keel-dll") ?? Path.Combine(LoadDriver.RepoRoot(), "src/Keel.Cli/bin/Release/net10.0/keel.dll");
        Console.WriteLine($"# Keel UI in Chromium  {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC  {Environment.ProcessorCount} cores  {runs:N0} runs, {points:N0} metric points, compare {compare} runs, {repeat} repeats");

        await using var server = await ServerUnderTest.StartAsync(keelDll);
        using var http = new HttpClient { BaseAddress = server.BaseUri, Timeout = TimeSpan.FromMinutes(5) };

        var fill = Stopwatch.StartNew();
        var bigExperiment = await LoadDriver.CreateExperimentAsync(http, "ui-bench-runs");
        await CreateRunsAsync(http, bigExperiment, runs, steps: 1, "r");
        Console.WriteLine($"filled {runs:N0} runs in {fill.Elapsed.TotalSeconds:F1} s");

        fill.Restart();
        var longRun = await LoadDriver.CreateRunAsync(http, bigExperiment, "long-history");
        for (var start = 0; start < points; start += 1000)
        {
            var body = new StringBuilder($"{{\"run_id\":\"{longRun}\",\"metrics\":[");
            for (var i = start; i < Math.Min(points, start + 1000); i++)
            {
                var value = Math.Exp(-i / (points / 5.0)) + (0.05 * Math.Sin(i / 50.0));
                body.Append(i > start ? "," : string.Empty).Append(Inv, $"{{\"key\":\"loss\",\"value\":{value.ToString("R", Inv)},\"timestamp\":{1700000000000L + i},\"step\":{i}}}");
            }

            await LoadDriver.PostOkAsync(http, "runs/log-batch", body.Append("]}").ToString());
        }

        Console.WriteLine($"logged {points:N0} points in {fill.Elapsed.TotalSeconds:F1} s");
        var compareExperiment = await LoadDriver.CreateExperimentAsync(http, "ui-bench-compare");
        var compared = await CreateRunsAsync(http, compareExperiment, compare, steps: 20, "c");

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--headless", "--no-sandbox", "--disable-gpu"] });
        var scenarios = new (string Name, string Fragment, Func<IPage, Task> Seen)[]
        {
            ($"runs page, {runs:N0} runs: first row", $"/experiments/{bigExperiment}", page => page.Locator("[data-testid=runs-table] tbody tr").First.WaitForAsync()),
            ($"metric chart, {points:N0} points", $"/runs/{longRun}", page => page.Locator("[data-testid=metric-chart] canvas").First.WaitForAsync()),
            ($"compare, {compare} runs: chart and {compare} lines", $"/compare?runs={string.Join(',', compared)}", async page =>
            {
                await page.Locator("[data-testid=compare-chart] canvas").First.WaitForAsync();
                await page.WaitForFunctionAsync($"document.querySelectorAll('[data-testid=parallel-coordinates] path, [data-testid=parallel-coordinates] polyline').length >= {compare}");
            }),
        };

        foreach (var (name, fragment, seen) in scenarios)
        {
            var cold = new List<double>();
            var warm = new List<double>();
            var reload = new List<double>();
            for (var r = 0; r < repeat; r++)
            {
                await using var context = await browser.NewContextAsync(new() { BaseURL = server.BaseUri.ToString(), ViewportSize = new() { Width = 1280, Height = 800 } });
                context.SetDefaultTimeout(60_000);
                var page = await context.NewPageAsync();
                cold.Add(await TimeAsync(page, "/#" + fragment, seen));
                if (r == 0 && args.Contains("--trace"))
                {
                    // Where a cold load's time goes: each request's start and end since navigation.
                    Console.WriteLine(await page.EvaluateAsync<string>(
                        "performance.getEntriesByType('resource').map(e => `  ${e.startTime.toFixed(0).padStart(5)}-${e.responseEnd.toFixed(0).padStart(5)} ms  ${e.name.replace(location.origin, '').slice(0, 110)}`).join('\\n')"));
                }
                // A returning visitor: a new tab in the same browser (the UI's files come from its cache).
                var again = await context.NewPageAsync();
                reload.Add(await TimeAsync(again, "/#" + fragment, seen));
                await again.GotoAsync("/#/");
                await again.Locator("main h1").WaitForAsync();
                warm.Add(await TimeAsync(again, "/#" + fragment, seen));
            }

            Console.WriteLine($"{name}: cold {Summary(cold)}; cached files {Summary(reload)}; in-app navigation {Summary(warm)}");
        }

        await ReportSizeAsync(browser, server.BaseUri, bigExperiment);
        return 0;
    }

    private static async Task<double> TimeAsync(IPage page, string url, Func<IPage, Task> seen)
    {
        var sw = Stopwatch.StartNew();
        await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit });
        await seen(page);
        return sw.Elapsed.TotalMilliseconds;
    }

    /// <summary>Runs with a param, a tag and a metric history of <paramref name="steps"/> points each, eight at a time.</summary>
    private static async Task<List<string>> CreateRunsAsync(HttpClient http, string experiment, int count, int steps, string prefix)
    {
        var ids = new string[count];
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var id = await LoadDriver.CreateRunAsync(http, experiment, $"{prefix}-{i:D5}");
                var body = new StringBuilder($"{{\"run_id\":\"{id}\",\"params\":[{{\"key\":\"lr\",\"value\":\"{(0.001 * (1 + (i % 10))).ToString("R", Inv)}\"}},{{\"key\":\"depth\",\"value\":\"{2 + (i % 7)}\"}}],\"tags\":[{{\"key\":\"team\",\"value\":\"t{i % 4}\"}}],\"metrics\":[");
                for (var s = 0; s < steps; s++)
                {
                    var accuracy = 0.5 + (0.45 * (1 - Math.Exp(-(s + 1) / 5.0)) * (0.8 + (0.2 * ((i * 37) % 100) / 100.0)));
                    body.Append(s > 0 ? "," : string.Empty).Append(Inv, $"{{\"key\":\"accuracy\",\"value\":{accuracy.ToString("R", Inv)},\"timestamp\":{1700000000000L + s},\"step\":{s}}},{{\"key\":\"loss\",\"value\":{(1 - accuracy).ToString("R", Inv)},\"timestamp\":{1700000000000L + s},\"step\":{s}}}");
                }

                await LoadDriver.PostOkAsync(http, "runs/log-batch", body.Append("]}").ToString());
                ids[i] = id;
            }
        }));
        return [.. ids];
    }

    private static async Task ReportSizeAsync(IBrowser browser, Uri server, string experiment)
    {
        var root = Path.Combine(LoadDriver.RepoRoot(), "src/Keel.Ui/wwwroot");
        long raw = 0, gzip = 0;
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".md", StringComparison.Ordinal)).ToList();
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file);
            raw += bytes.Length;
            using var buffer = new MemoryStream();
            await using (var z = new GZipStream(buffer, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                await z.WriteAsync(bytes);
            }

            gzip += buffer.Length;
        }

        Console.WriteLine($"shipped UI: {files.Count} files, {raw / 1024.0:F1} KB raw, {gzip / 1024.0:F1} KB gzip");
        await using var context = await browser.NewContextAsync(new() { BaseURL = server.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"/#/experiments/{experiment}");
        await page.Locator("[data-testid=runs-table] tbody tr").First.WaitForAsync();
        var transferred = await page.EvaluateAsync<double>("performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation')).filter(e => e.name.includes('/ui/') || e.entryType === 'navigation').reduce((n, e) => n + e.encodedBodySize, 0)");
        Console.WriteLine($"first load of the runs page: {transferred / 1024.0:F1} KB of UI files over the wire (Brotli)");
    }

    private static string Summary(List<double> xs) => $"median {Median(xs):F0} ms (min {xs.Min():F0}, max {xs.Max():F0})";

    private static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[(s.Count / 2) - 1] + s[s.Count / 2]) / 2;
    }
}
