using Keel.Core.Tracking;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Keel.Ui.Tests;

/// <summary>Compare runs: differences-only tables, overlaid metric chart, parallel coordinates and scatter, from two runs to a hundred.</summary>
[Collection(UiCollection.Name)]
public sealed class ComparePageTests(UiServer server)
{
    [UiFact]
    public async Task Two_quickstart_runs_show_only_the_params_that_differ_until_the_toggle_shows_all()
    {
        var (baseline, tuned) = await QuickstartParentsAsync();
        await using var ui = await server.OpenAsync($"/compare?runs={baseline.Info.RunId},{tuned.Info.RunId}");
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Compare 2 runs");

        var parameters = ParamsTable(ui);
        // Both searched with different trial counts and trainers; both used the same label column.
        await Expect(Row(parameters, "trials")).ToContainTextAsync("3");
        await Expect(Row(parameters, "trials")).ToContainTextAsync("9");
        await Expect(Row(parameters, "best_trainer")).ToBeVisibleAsync();
        await Expect(Row(parameters, "label")).ToHaveCountAsync(0);
        await Expect(parameters.GetByRole(AriaRole.Columnheader, new() { Name = "quickstart-baseline" })).ToBeVisibleAsync();
        await Expect(parameters.GetByRole(AriaRole.Columnheader, new() { Name = "quickstart-tuned" })).ToBeVisibleAsync();

        // The best value of a metric is highlighted (auc: higher is better).
        var auc = Row(ui.Main.Locator(".compare-tables > section", new() { Has = ui.Page.GetByRole(AriaRole.Heading, new() { Name = "Metrics" }) }), "auc");
        await Expect(auc.Locator(".best")).ToHaveTextAsync(Format(tuned.Data.Metrics.Single(m => m.Key == "auc").Value));

        // Charts drew: the overlaid metric chart, the parallel coordinates (a line per run) and the scatter.
        await Expect(ui.Page.Locator("[data-testid=compare-chart] canvas")).ToHaveCountAsync(1);
        await Expect(ui.Page.Locator("[data-testid=compare-scatter] canvas")).ToHaveCountAsync(1);
        var lines = ui.Page.Locator("[data-testid=parallel-coordinates] polyline");
        await Expect(lines).ToHaveCountAsync(2);
        await lines.First.DispatchEventAsync("mouseover");
        await Expect(ui.Page.GetByTestId("pc-hover")).ToHaveTextAsync("quickstart-baseline");
        await ui.ScreenshotAsync("compare-two-runs");

        // All params, and the choice lives in the URL.
        await ui.Page.GetByLabel("Differences only").UncheckAsync();
        await Expect(Row(parameters, "label")).ToContainTextAsync("diagnosis");
        Assert.Contains("diff=0", ui.Fragment, StringComparison.Ordinal);
        await ui.Page.ReloadAsync();
        await ui.SettledAsync();
        await Expect(ui.Page.GetByLabel("Differences only")).Not.ToBeCheckedAsync();
        await Expect(Row(ParamsTable(ui), "label")).ToBeVisibleAsync();
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task Three_trials_plot_their_metric_histories_and_the_chosen_metric_lives_in_the_url()
    {
        var experiment = await server.Client.GetExperimentByNameAsync("quickstart");
        var trials = (await server.Client.SearchRunsAsync([experiment.ExperimentId], "tags.mlflow.runName LIKE 'trial-%'")).Items
            .Where(r => r.Data.Metrics.Any(m => m.Key == "auc" && m.Step > 0)).Take(3).ToList();
        Assert.True(trials.Count >= 2, "the quickstart should have trials that ran more than one rung");
        await using var ui = await server.OpenAsync("/compare?runs=" + string.Join(',', trials.Select(t => t.Info.RunId)));
        var chart = ui.Page.GetByTestId("compare-chart");
        await Expect(chart.Locator("canvas")).ToHaveCountAsync(1);

        // Every point of every history is on the chart (each trial logged auc at steps 0..its last rung).
        var expected = trials.Sum(t => t.Data.Metrics.Single(m => m.Key == "auc").Step + 1);
        await Expect(chart).ToHaveAttributeAsync("data-points", expected.ToString(System.Globalization.CultureInfo.InvariantCulture));

        await ui.Page.GetByLabel("Chart metric").SelectOptionAsync("train_seconds");
        Assert.Contains("metric=train_seconds", ui.Fragment, StringComparison.Ordinal);
        await Expect(ui.Page.GetByTestId("compare-chart").Locator("canvas")).ToHaveCountAsync(1);
        await Expect(ui.Page.Locator("[data-testid=parallel-coordinates] polyline")).ToHaveCountAsync(trials.Count);
        await ui.ScreenshotAsync("compare-trials");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task On_a_phone_the_comparison_fits_the_screen()
    {
        var (baseline, tuned) = await QuickstartParentsAsync();
        await using var ui = await server.OpenAsync($"/compare?runs={baseline.Info.RunId},{tuned.Info.RunId}", width: 390, height: 844);
        await Expect(ui.Page.Locator("[data-testid=parallel-coordinates] polyline")).ToHaveCountAsync(2);
        await Expect(ui.Page.Locator("[data-testid=compare-chart] canvas")).ToHaveCountAsync(1);
        await ui.AssertFitsWidthAsync("the page scrolls sideways at 390 px");
        await ui.ScreenshotAsync("phone-compare");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task An_unknown_run_id_is_named_and_left_out()
    {
        var (baseline, tuned) = await QuickstartParentsAsync();
        await using var ui = await server.OpenAsync($"/compare?runs={baseline.Info.RunId},0123456789abcdef0123456789abcdef,{tuned.Info.RunId}");
        await Expect(ui.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("1 run not found, left out: 0123456789abcdef0123456789abcdef");
        await Expect(ui.Page.Locator("[data-testid=parallel-coordinates] polyline")).ToHaveCountAsync(2);
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Compare only the runs that exist" }).ClickAsync();
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Compare 2 runs");

        // Chromium logs the API's 404 for the unknown run to the console; nothing else may fail.
        Assert.All(ui.Errors, e => Assert.Contains("status of 404", e, StringComparison.Ordinal));
    }

    [UiFact]
    public async Task Without_runs_the_page_says_how_to_choose_them()
    {
        await using var ui = await server.OpenAsync("/compare");
        await Expect(ui.Page.GetByTestId("empty")).ToContainTextAsync("Select runs in an experiment's runs table and press Compare");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task A_hundred_runs_compare_at_once_with_a_line_each()
    {
        var experimentId = await server.Client.CreateExperimentAsync("ui-compare-100-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var ids = new string[100];
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var start = 0; start < ids.Length; start += 10)
            {
                await Task.WhenAll(Enumerable.Range(start, 10).Select(async i =>
                {
                    var run = await server.Client.StartRunAsync(experimentId, $"run-{i:D3}");
                    var loss = Enumerable.Range(0, 5).Select(step => new Metric("loss", 1.0 / (1 + step + (i % 7)), now + step, step)).ToList();
                    await server.Client.LogBatchAsync(
                        run.Info.RunId,
                        [.. loss, new Metric("accuracy", 0.5 + (i / 250.0), now, 0)],
                        [new Param("learning_rate", (0.001 * (1 + (i % 10))).ToString(System.Globalization.CultureInfo.InvariantCulture)), new Param("optimizer", i % 2 == 0 ? "adam" : "sgd")],
                        []);
                    await server.Client.EndRunAsync(run.Info.RunId);
                    ids[i] = run.Info.RunId;
                }));
            }

            await using var ui = await server.OpenAsync("/");
            // How fast is bench ui's business (docs/benchmarks.md); this checks what the page shows.
            await ui.Page.GotoAsync("/#/compare?runs=" + string.Join(',', ids));
            await Expect(ui.Page.GetByTestId("parallel-coordinates")).ToBeVisibleAsync();
            await Expect(ui.Page.Locator("[data-testid=compare-chart] canvas")).ToHaveCountAsync(1);
            await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Compare 100 runs");
            await Expect(ui.Page.Locator("[data-testid=parallel-coordinates] polyline")).ToHaveCountAsync(100);
            await Expect(ui.Page.GetByTestId("compare-chart")).ToHaveAttributeAsync("data-points", "500");
            // Many runs: a row per run, a column per differing param.
            await Expect(ParamsTable(ui).Locator("tbody tr")).ToHaveCountAsync(100);
            await Expect(ParamsTable(ui).GetByRole(AriaRole.Columnheader, new() { Name = "optimizer" })).ToBeVisibleAsync();
            await Expect(Row(ParamsTable(ui), "run-042")).ToContainTextAsync("adam");
            await ui.AssertFitsWidthAsync("the page scrolls sideways");
            await ui.ScreenshotAsync("compare-100-runs");
            ui.AssertNoErrors();
        }
        finally
        {
            // Other pages' tests count the quickstart's experiments: put this one away.
            await server.Client.DeleteExperimentAsync(experimentId);
        }
    }

    /// <summary>The table row whose first cell is exactly <paramref name="key"/>.</summary>
    internal static ILocator Row(ILocator table, string key) =>
        table.Locator("tbody tr").Filter(new() { Has = table.Page.Locator("td:first-child", new() { HasTextRegex = new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(key) + "$") }) });

    private static ILocator ParamsTable(UiPage ui) =>
        ui.Main.Locator(".compare-tables > section", new() { Has = ui.Page.GetByRole(AriaRole.Heading, new() { Name = "Params", Exact = true }) }).Locator("table");

    private async Task<(Run Baseline, Run Tuned)> QuickstartParentsAsync()
    {
        var experiment = await server.Client.GetExperimentByNameAsync("quickstart");
        var runs = (await server.Client.SearchRunsAsync([experiment.ExperimentId])).Items;
        return (runs.Single(r => r.Info.RunName == "quickstart-baseline"), runs.Single(r => r.Info.RunName == "quickstart-tuned"));
    }

    /// <summary>As the UI's num() shows it: four significant digits.</summary>
    private static string Format(double value) =>
        double.Parse(value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
