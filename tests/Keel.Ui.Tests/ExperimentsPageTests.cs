using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Keel.Ui.Tests;

/// <summary>The experiments list and an experiment's runs table: search, filter, sort, columns, grouping, nesting, saved views, selection.</summary>
[Collection(UiCollection.Name)]
public sealed class ExperimentsPageTests(UiServer server)
{
    private async Task<string> QuickstartIdAsync() => (await server.Client.GetExperimentByNameAsync("quickstart")).ExperimentId;

    private static ILocator Rows(UiPage ui) => ui.Page.Locator("[data-testid=runs-table] table.table tbody tr");

    [UiFact]
    public async Task The_experiments_list_shows_quickstart_and_searches_by_name()
    {
        await using var ui = await server.OpenAsync("/experiments");
        var table = ui.Page.GetByTestId("experiments-table");
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = "quickstart", Exact = true })).ToBeVisibleAsync();
        await Expect(table).ToContainTextAsync("pipelines/quickstart-retrain");
        await ui.ScreenshotAsync("experiments");

        await ui.Page.GetByLabel("Search experiments by name").FillAsync("retrain");
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("q=retrain"));
        await Expect(table.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(table.GetByRole(AriaRole.Link, new() { Name = "quickstart", Exact = true })).ToHaveCountAsync(0);

        await ui.Page.GetByLabel("Search experiments by name").FillAsync("no-such-experiment");
        await Expect(table).ToContainTextAsync("No experiment matches");

        await ui.GoAsync("/experiments");
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "quickstart", Exact = true }).ClickAsync();
        Assert.Equal("/experiments/" + await QuickstartIdAsync(), ui.Fragment);
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task The_runs_table_shows_the_quickstart_runs_and_sorts_by_a_metric_through_the_url()
    {
        var id = await QuickstartIdAsync();
        await using var ui = await server.OpenAsync("/experiments/" + id);
        await Expect(Rows(ui).First).ToBeVisibleAsync();
        await Expect(Rows(ui)).ToHaveCountAsync(14);
        await Expect(ui.Page.GetByTestId("runs-table")).ToContainTextAsync("quickstart-tuned");
        await Expect(ui.Page.GetByTestId("runs-table")).ToContainTextAsync("quickstart-baseline");
        await Expect(ui.Page.GetByTestId("runs-count")).ToContainTextAsync("14 runs loaded");
        await ui.ScreenshotAsync("runs");

        // Sorted by auc, best first: the tuned parent (0.9984) before the baseline (0.9977).
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "auc", Exact = true }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sort=metrics.auc&desc=1"));
        await Expect(Rows(ui).First).ToContainTextAsync("quickstart-tuned");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "auc ▼" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("sort=metrics.auc&desc=0"));
        await Expect(Rows(ui).First).ToContainTextAsync("quickstart-baseline");

        // Flat, the order is the server's over every run: the worst trial first.
        await ui.Page.GetByLabel("Nest child runs").UncheckAsync();
        await Expect(Rows(ui).First).ToContainTextAsync("trial-001-fasttree");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task A_bad_filter_shows_the_servers_message_under_the_box()
    {
        var id = await QuickstartIdAsync();
        using var http = new HttpClient { BaseAddress = server.Address };
        var answer = await http.PostAsJsonAsync("/api/2.0/mlflow/runs/search", new { experiment_ids = new[] { id }, filter = "metrics.auc >> 1" });
        Assert.Equal(400, (int)answer.StatusCode);
        var message = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString()!;

        await using var ui = await server.OpenAsync("/experiments/" + id);
        var box = ui.Page.GetByTestId("runs-filter");
        await box.FillAsync("metrics.auc >> 1");
        await box.PressAsync("Enter");
        await Expect(ui.Page.GetByTestId("filter-error")).ToContainTextAsync(message);
        await Expect(ui.Page.GetByTestId("filter-error")).ToContainTextAsync("The filter was refused");
        await ui.ScreenshotAsync("runs-bad-filter");

        // A good filter keeps only what it matches, and lives in the URL.
        await box.FillAsync("params.trainer = 'lbfgs' and metrics.auc > 0.99");
        await box.PressAsync("Enter");
        await Expect(ui.Page.GetByTestId("filter-error")).ToHaveCountAsync(0);
        await Expect(Rows(ui)).ToHaveCountAsync(1);
        await Expect(Rows(ui).First).ToContainTextAsync("trial-004-lbfgs");
        Assert.Contains("filter=params.trainer", ui.Fragment, StringComparison.Ordinal);

        // The browser logs the refused request itself; the page handled it.
        ui.Errors.RemoveAll(e => e.Contains("status of 400", StringComparison.Ordinal));
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task The_column_chooser_adds_a_param_column()
    {
        var id = await QuickstartIdAsync();
        await using var ui = await server.OpenAsync("/experiments/" + id);
        await Expect(Rows(ui).First).ToBeVisibleAsync();
        var chooser = ui.Page.GetByTestId("column-chooser");
        await chooser.Locator("summary").ClickAsync();
        await chooser.Locator("fieldset", new() { HasText = "Parameters" }).GetByLabel("trainer", new() { Exact = true }).CheckAsync();
        await Expect(ui.Page.Locator("[data-testid=runs-table] th", new() { HasText = "trainer" })).ToBeVisibleAsync();
        Assert.Contains("params.trainer", Uri.UnescapeDataString(ui.Fragment), StringComparison.Ordinal);
        await Expect(ui.Page.Locator("[data-testid=runs-table] tr", new() { HasText = "trial-004-lbfgs" })).ToContainTextAsync("lbfgs");
        await ui.ScreenshotAsync("runs-columns");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task Grouping_by_a_param_shows_groups_with_aggregates()
    {
        var id = await QuickstartIdAsync();
        await using var ui = await server.OpenAsync($"/experiments/{id}");
        await Expect(Rows(ui).First).ToBeVisibleAsync();
        await ui.Page.GetByLabel("Group by").SelectOptionAsync("params.trainer");
        await ui.Page.GetByLabel("Aggregate metric").SelectOptionAsync("auc");
        var groups = ui.Page.GetByTestId("run-group");
        // sdca, lbfgs, lightgbm, fasttree, fastforest and the two parents without a trainer.
        await Expect(groups).ToHaveCountAsync(6);
        var sdca = groups.Filter(new() { HasText = "trainer = sdca" });
        await Expect(sdca).ToContainTextAsync("5 runs");
        await Expect(sdca).ToContainTextAsync("auc mean");
        await Expect(sdca.Locator("tbody tr")).ToHaveCountAsync(5);
        Assert.Contains("group=params.trainer", ui.Fragment, StringComparison.Ordinal);
        Assert.Contains("agg=auc", ui.Fragment, StringComparison.Ordinal);
        await ui.ScreenshotAsync("runs-grouped");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task Child_runs_sit_under_their_parent_and_fold_away()
    {
        var id = await QuickstartIdAsync();
        await using var ui = await server.OpenAsync($"/experiments/{id}");
        await Expect(Rows(ui)).ToHaveCountAsync(14);
        var texts = await Rows(ui).AllInnerTextsAsync();
        var parent = texts.ToList().FindIndex(t => t.Contains("quickstart-tuned", StringComparison.Ordinal));
        Assert.True(parent >= 0);
        Assert.Contains("trial-", texts[parent + 1], StringComparison.Ordinal);
        await Expect(ui.Page.Locator("[data-testid=runs-table] tr", new() { HasText = "quickstart-tuned" })).ToContainTextAsync("(9)");

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Collapse quickstart-tuned" }).ClickAsync();
        await Expect(Rows(ui)).ToHaveCountAsync(5);
        await Expect(ui.Page.GetByTestId("runs-table")).Not.ToContainTextAsync("trial-004-lbfgs");
        await ui.ScreenshotAsync("runs-collapsed");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Expand quickstart-tuned" }).ClickAsync();
        await Expect(Rows(ui)).ToHaveCountAsync(14);

        // The keyboard moves through rows and opens one.
        await Rows(ui).First.FocusAsync();
        await ui.Page.Keyboard.PressAsync("j");
        await ui.Page.Keyboard.PressAsync("Enter");
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/runs/[0-9a-f]{32}$"));
        await Expect(ui.Page.Locator("h1")).ToContainTextAsync("trial-");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task A_saved_view_is_an_experiment_tag_and_the_url_restores_the_layout()
    {
        var id = await QuickstartIdAsync();
        var name = "ui-test-" + Guid.NewGuid().ToString("N")[..6];
        await using var ui = await server.OpenAsync($"/experiments/{id}?sort=metrics.auc&desc=1&cols=metrics.auc,params.trainer");
        await Expect(Rows(ui).First).ToContainTextAsync("quickstart-tuned");
        var layout = ui.Fragment;
        await ui.Page.GetByLabel("View name").FillAsync(name);
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Save view" }).ClickAsync();
        await Expect(ui.Page.GetByTestId("saved-views").Locator("option", new() { HasText = name })).ToHaveCountAsync(1);

        var experiment = await server.Client.GetExperimentAsync(id);
        var tag = Assert.Single(experiment.Tags, t => t.Key == "keel.ui.view." + name);
        Assert.Contains("sort=metrics.auc", tag.Value, StringComparison.Ordinal);
        Assert.Contains("params.trainer", Uri.UnescapeDataString(tag.Value), StringComparison.Ordinal);

        // Choosing the saved view from a plain table brings the layout back.
        await ui.GoAsync($"/experiments/{id}");
        await Expect(ui.Page.Locator("[data-testid=runs-table] th", new() { HasText = "trainer" })).ToHaveCountAsync(0);
        await ui.Page.GetByTestId("saved-views").SelectOptionAsync(name);
        await Expect(ui.Page.Locator("[data-testid=runs-table] th", new() { HasText = "trainer" })).ToBeVisibleAsync();
        Assert.Equal(Uri.UnescapeDataString(layout), Uri.UnescapeDataString(ui.Fragment));

        // Reloading the URL restores it too.
        await ui.Page.ReloadAsync();
        await ui.SettledAsync();
        await Expect(ui.Page.Locator("[data-testid=runs-table] th[aria-sort=descending]")).ToContainTextAsync("auc");
        await Expect(ui.Page.Locator("[data-testid=runs-table] th", new() { HasText = "trainer" })).ToBeVisibleAsync();
        await Expect(Rows(ui).First).ToContainTextAsync("quickstart-tuned");
        await ui.ScreenshotAsync("runs-saved-view");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task Selected_runs_go_to_compare()
    {
        var id = await QuickstartIdAsync();
        await using var ui = await server.OpenAsync($"/experiments/{id}");
        await Expect(Rows(ui)).ToHaveCountAsync(14);
        var compare = ui.Page.GetByTestId("compare");
        await Expect(compare).ToHaveAttributeAsync("aria-disabled", "true");
        await Rows(ui).Nth(0).GetByLabel("Select row").CheckAsync();
        await Rows(ui).Nth(1).GetByLabel("Select row").CheckAsync();
        await Expect(compare).ToHaveTextAsync("Compare (2)");
        var target = await compare.GetAttributeAsync("href");
        Assert.Matches("^#/compare\\?runs=[0-9a-f]{32}%2C[0-9a-f]{32}$", target);
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task An_experiment_without_runs_says_how_to_log_one()
    {
        var id = await server.Client.CreateExperimentAsync("ui-runs-empty-" + Guid.NewGuid().ToString("N")[..6]);
        await using var ui = await server.OpenAsync($"/experiments/{id}");
        await Expect(ui.Page.GetByTestId("empty")).ToContainTextAsync("No runs in this experiment yet");
        await Expect(ui.Page.GetByTestId("empty")).ToContainTextAsync("keel train");
        await ui.ScreenshotAsync("runs-empty");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task Runs_come_100_at_a_time_and_the_url_remembers_how_many()
    {
        var id = await server.Client.CreateExperimentAsync("ui-runs-paging-" + Guid.NewGuid().ToString("N")[..6]);
        await Parallel.ForEachAsync(Enumerable.Range(0, 150), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
        {
            var run = await server.Client.StartRunAsync(id, $"run-{i:000}", cancellationToken: ct);
            await server.Client.LogMetricAsync(run.Info.RunId, "score", i, cancellationToken: ct);
        });

        await using var ui = await server.OpenAsync($"/experiments/{id}?sort=metrics.score&desc=1");
        await Expect(Rows(ui)).ToHaveCountAsync(100);
        await Expect(Rows(ui).First).ToContainTextAsync("run-149");
        await Expect(ui.Page.GetByTestId("runs-count")).ToHaveTextAsync("100 runs loaded, more on the server");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Load 100 more" }).ClickAsync();
        await Expect(Rows(ui)).ToHaveCountAsync(150);
        await Expect(Rows(ui).Last).ToContainTextAsync("run-000");
        await Expect(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Load 100 more" })).ToHaveCountAsync(0);
        Assert.Contains("pages=2", ui.Fragment, StringComparison.Ordinal);

        await ui.Page.ReloadAsync();
        await ui.SettledAsync();
        await Expect(Rows(ui)).ToHaveCountAsync(150);
        await Expect(ui.Page.GetByTestId("runs-count")).ToHaveTextAsync("150 runs loaded");
        ui.AssertNoErrors();
    }
}
