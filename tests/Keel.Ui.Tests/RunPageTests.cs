using System.Net;
using System.Text.Json;
using Keel.Core.Tracking;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Keel.Ui.Tests;

/// <summary>A run's page: params, metrics with their charts (downsampled by the server), inputs, lineage links and artifact previews.</summary>
[Collection(UiCollection.Name)]
public sealed class RunPageTests(UiServer server)
{
    private async Task<Run> RunNamedAsync(string name)
    {
        var experiment = await server.Client.GetExperimentByNameAsync("quickstart");
        var runs = await server.Client.SearchRunsAsync([experiment.ExperimentId], $"attributes.run_name = '{name}'");
        return Assert.Single(runs.Items);
    }

    [UiFact]
    public async Task The_run_page_shows_params_metrics_and_charts()
    {
        var run = await RunNamedAsync("quickstart-tuned");
        await using var ui = await server.OpenAsync("/runs/" + run.Info.RunId);
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("quickstart-tuned");
        await Expect(ui.Page.GetByTestId("run-params").Locator("tr", new() { HasText = "task" })).ToContainTextAsync("binary");
        var auc = run.Data.Metrics.Single(m => m.Key == "auc").Value;
        var aucRow = ui.Page.GetByTestId("run-metrics").Locator("tbody tr", new() { HasText = "auc" }).First;
        await Expect(aucRow).ToContainTextAsync(auc.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture));
        // The quickstart logs each metric once: numbers in the table, charts on request.
        await Expect(ui.Page.GetByTestId("single-value-metrics")).ToContainTextAsync("Every metric logged a single value");
        await Expect(ui.Page.GetByTestId("metric-chart")).ToHaveCountAsync(0);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Chart every metric" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("metric-chart").First.Locator("canvas")).ToBeVisibleAsync();
        Assert.Equal(run.Data.Metrics.Count, await ui.Page.GetByTestId("metric-chart").CountAsync());
        Assert.Contains("charts=all", ui.Fragment, StringComparison.Ordinal);

        // Where it came from and what it made.
        await Expect(ui.Page.GetByTestId("run-datasets")).ToContainTextAsync("breast-cancer");
        await Expect(ui.Page.GetByTestId("run-datasets")).ToContainTextAsync("training");
        await Expect(ui.Page.GetByTestId("child-runs").GetByRole(AriaRole.Link)).ToHaveCountAsync(9);
        await Expect(ui.Page.GetByTestId("model-versions")).ToContainTextAsync("breast-cancer v");
        await ui.ScreenshotAsync("run");

        // The axis lives in the URL.
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Time" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("x=time"));
        await Expect(ui.Page.GetByTestId("metric-chart").First.Locator("canvas")).ToBeVisibleAsync();

        // A trial links back to its parent.
        await ui.Page.GetByTestId("child-runs").GetByRole(AriaRole.Link, new() { Name = "trial-004-lbfgs" }).ClickAsync();
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("trial-004-lbfgs");
        await Expect(ui.Page.GetByTestId("parent-link")).ToHaveTextAsync(run.Info.RunId);
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task Artifacts_open_as_a_tree_and_preview_by_type()
    {
        var run = await RunNamedAsync("quickstart-tuned");
        await using var ui = await server.OpenAsync("/runs/" + run.Info.RunId);
        var tree = ui.Page.GetByTestId("artifact-tree");
        var preview = ui.Page.GetByTestId("artifact-preview");

        await tree.GetByRole(AriaRole.Button, new() { Name = "model/" }).ClickAsync();
        await tree.GetByRole(AriaRole.Button, new() { Name = "MLmodel" }).ClickAsync();
        await Expect(preview.Locator("pre")).ToContainTextAsync("flavors");
        Assert.Contains("artifact=model%2FMLmodel", ui.Fragment, StringComparison.Ordinal);
        await Expect(preview.GetByRole(AriaRole.Link, new() { Name = "Download" })).ToHaveAttributeAsync("href", $"/get-artifact?run_uuid={run.Info.RunId}&path=model%2FMLmodel");
        await ui.ScreenshotAsync("run-artifact-mlmodel");

        await tree.GetByRole(AriaRole.Button, new() { Name = "search/" }).ClickAsync();
        await tree.GetByRole(AriaRole.Button, new() { Name = "trials.csv" }).ClickAsync();
        await Expect(preview.Locator("table.table tbody tr").First).ToBeVisibleAsync();
        Assert.True(await preview.Locator("table.table tbody tr").CountAsync() >= 9);

        await tree.GetByRole(AriaRole.Button, new() { Name = "evaluation/" }).ClickAsync();
        await tree.GetByRole(AriaRole.Button, new() { Name = "metrics.json" }).ClickAsync();
        await Expect(preview.Locator("pre")).ToContainTextAsync("\"auc\"");

        await tree.GetByRole(AriaRole.Button, new() { Name = "plots/" }).ClickAsync();
        await tree.GetByRole(AriaRole.Button, new() { Name = "roc.svg" }).ClickAsync();
        await Expect(preview.Locator("img")).ToBeVisibleAsync();
        Assert.True(await preview.Locator("img").EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the SVG plot did not load");

        await tree.GetByRole(AriaRole.Button, new() { Name = "model_card.html" }).ClickAsync();
        await Expect(preview.Locator("iframe[sandbox]")).ToBeVisibleAsync();
        await Expect(preview.FrameLocator("iframe").Locator("body")).Not.ToBeEmptyAsync();

        // Reloading opens the same file.
        await ui.Page.ReloadAsync();
        await ui.SettledAsync();
        await Expect(preview.Locator("iframe[sandbox]")).ToBeVisibleAsync();
        await ui.ScreenshotAsync("run-artifact-html");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task A_100000_point_metric_draws_from_a_downsampled_history()
    {
        var experimentId = await server.Client.CreateExperimentAsync("ui-runs-long-" + Guid.NewGuid().ToString("N")[..6]);
        var run = await server.Client.StartRunAsync(experimentId, "long-history");
        var start = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - 100_000;
        var points = Enumerable.Range(0, 100_000).Select(i => new Metric("loss", Math.Exp(-i / 20_000.0) + (0.05 * Math.Sin(i / 50.0)), start + i, i));
        await server.Client.LogMetricsAsync(run.Info.RunId, points);
        await server.Client.EndRunAsync(run.Info.RunId);

        using var http = new HttpClient { BaseAddress = server.Address };
        var answer = JsonDocument.Parse(await http.GetStringAsync($"/api/2.0/keel/metrics/history-downsampled?run_id={run.Info.RunId}&metric_key=loss")).RootElement;
        Assert.Equal(100_000, answer.GetProperty("total").GetInt32());
        Assert.True(answer.GetProperty("downsampled").GetBoolean());
        var kept = answer.GetProperty("points");
        Assert.Equal(1000, kept.GetArrayLength());
        Assert.Equal(0, kept[0].GetProperty("step").GetInt64());
        Assert.Equal(99_999, kept[kept.GetArrayLength() - 1].GetProperty("step").GetInt64());
        var refused = await http.GetAsync($"/api/2.0/keel/metrics/history-downsampled?run_id={run.Info.RunId}&metric_key=loss&max_points=0");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("max_points", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await using var ui = await server.OpenAsync("/runs/" + run.Info.RunId);
        var chart = ui.Page.GetByTestId("metric-chart");
        await Expect(chart.Locator("canvas")).ToBeVisibleAsync();
        var drawn = int.Parse(await chart.GetAttributeAsync("data-points") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(drawn, 2, 1000);
        await Expect(ui.Page.Locator(".metric-card")).ToContainTextAsync("100,000 points, 1,000 drawn");
        await Expect(ui.Page.GetByTestId("single-value-metrics")).ToHaveCountAsync(0);
        await Expect(ui.Page.GetByTestId("run-metrics")).ToContainTextAsync("100,000");
        await ui.ScreenshotAsync("run-long-history");

        // A file over 2 MB is offered for download, not read into the page.
        using var big = new ByteArrayContent(System.Text.Encoding.ASCII.GetBytes(new string('x', 3 * 1024 * 1024)));
        var uploaded = await http.PostAsync($"/ajax-api/2.0/mlflow/upload-artifact?run_uuid={run.Info.RunId}&path=logs/train.log", big);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        await using var again = await server.OpenAsync($"/runs/{run.Info.RunId}?artifact=logs%2Ftrain.log");
        var preview = again.Page.GetByTestId("artifact-preview");
        await Expect(preview).ToContainTextAsync("larger than 2.0 MB");
        await Expect(preview.Locator("pre")).ToHaveCountAsync(0);
        await Expect(preview.GetByRole(AriaRole.Link, new() { Name = "Download" })).ToHaveAttributeAsync("href", $"/get-artifact?run_uuid={run.Info.RunId}&path=logs%2Ftrain.log");
        await Expect(again.Page.GetByTestId("artifact-tree")).ToContainTextAsync("logs/");
        again.AssertNoErrors();
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task On_a_phone_the_runs_table_and_the_run_page_do_not_scroll_sideways()
    {
        var run = await RunNamedAsync("quickstart-tuned");
        await using var ui = await server.OpenAsync($"/experiments/{run.Info.ExperimentId}", width: 390, height: 844);
        await Expect(ui.Page.Locator("[data-testid=runs-table] table.table tbody tr").First).ToBeVisibleAsync();
        await ui.AssertFitsWidthAsync("the runs table scrolls the page sideways at 390 px");
        await ui.ScreenshotAsync("phone-runs");

        await ui.GoAsync($"/runs/{run.Info.RunId}?artifact=search%2Ftrials.csv&charts=all");
        await Expect(ui.Page.GetByTestId("artifact-preview").Locator("table tbody tr").First).ToBeVisibleAsync();
        await Expect(ui.Page.GetByTestId("metric-chart").First.Locator("canvas")).ToBeVisibleAsync();
        await ui.AssertFitsWidthAsync("the run page scrolls sideways at 390 px");
        await ui.ScreenshotAsync("phone-run");
        ui.AssertNoErrors();
    }
}
