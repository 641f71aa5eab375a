using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Keel.Ui.Tests;

/// <summary>
/// Endpoints: the list, and the quickstart's breast-cancer endpoint (v3 promoted by the retraining
/// pipeline's canary): its traffic split, live figures, rollout timeline, origin and actions.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class EndpointsPageTests(UiServer server)
{
    [UiFact]
    public async Task The_list_shows_breast_cancer_serving_version_3_at_100_percent()
    {
        await using var ui = await server.OpenAsync("/endpoints");
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Endpoints");
        var row = ui.Main.Locator("tbody tr", new() { HasText = "breast-cancer" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("models:/breast-cancer/3 100%");
        await Expect(row).ToContainTextAsync("dev");
        await Expect(row).ToContainTextAsync("single");
        await Expect(row).ToContainTextAsync("promoted");
        await Expect(row.Locator(".split-seg")).ToHaveCountAsync(1);
        await ui.ScreenshotAsync("endpoints");

        // The filter lives in the URL, and says so when nothing matches.
        await ui.Page.Locator("[data-search]").FillAsync("no-such-endpoint");
        await Expect(ui.Main).ToContainTextAsync("No endpoint matches the filter.");
        Assert.Contains("q=no-such-endpoint", ui.Fragment, StringComparison.Ordinal);
        await ui.Page.Locator("[data-search]").FillAsync("breast");

        await row.GetByRole(AriaRole.Link, new() { Name = "breast-cancer" }).ClickAsync();
        Assert.Equal("/endpoints/breast-cancer", ui.Fragment);
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("breast-cancer");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task The_endpoint_page_shows_the_split_the_promoted_rollout_step_by_step_and_where_v3_came_from()
    {
        var stored = await GetEndpointAsync();
        var rollout = stored.GetProperty("rollout");

        await using var ui = await server.OpenAsync("/endpoints/breast-cancer");
        var split = ui.Page.GetByTestId("traffic-split");
        await Expect(split.Locator(".split-seg")).ToHaveCountAsync(1);
        await Expect(split.Locator(".split-seg")).ToHaveTextAsync("100%");
        await Expect(split.Locator(".split-legend")).ToContainTextAsync("models:/breast-cancer/3 100% primary");
        await Expect(split.Locator(".split-legend")).ToContainTextAsync("models:/breast-cancer/2 0% standby");

        var card = ui.Page.GetByTestId("rollout");
        await Expect(card).ToContainTextAsync("promoted");
        await Expect(card).ToContainTextAsync("10% → 50% → 100%");
        await Expect(card).ToContainTextAsync("all steps passed");
        var steps = card.GetByRole(AriaRole.List, new() { Name = "Rollout steps" }).First.Locator("li");
        await Expect(steps).ToHaveCountAsync(3);
        await Expect(steps.Nth(0).Locator(".pct")).ToHaveTextAsync("10%");
        await Expect(steps.Nth(0).Locator(".badge")).ToHaveTextAsync("passed");
        await Expect(steps.Nth(1).Locator(".pct")).ToHaveTextAsync("50%");
        await Expect(steps.Nth(1).Locator(".badge")).ToHaveTextAsync("passed");
        await Expect(steps.Nth(2).Locator(".pct")).ToHaveTextAsync("100%");
        await Expect(steps.Nth(2).Locator(".badge")).ToHaveTextAsync("promoted");

        // Each step's figures, as the server recorded them: requests champion / challenger.
        var rows = card.Locator("table").First.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(3);
        var history = rollout.GetProperty("history");
        for (var i = 0; i < 3; i++)
        {
            var c = history[i].GetProperty("comparison");
            var requests = string.Create(CultureInfo.InvariantCulture, $"{c.GetProperty("champion_requests").GetInt64():N0} / {c.GetProperty("challenger_requests").GetInt64():N0}");
            await Expect(rows.Nth(i)).ToContainTextAsync(requests);
            await Expect(rows.Nth(i)).ToContainTextAsync(new Regex(@"\d+(\.\d+)? ms / \d+(\.\d+)? ms"));
            await Expect(rows.Nth(i)).ToContainTextAsync("0.00% / 0.00%");
        }

        // The earlier rollout (v1 → v2) is there too, folded.
        await Expect(card.Locator("details.past-rollout")).ToContainTextAsync("models:/breast-cancer/1 → models:/breast-cancer/2");

        // v3 came from the retraining pipeline's run 1.
        var origins = ui.Page.GetByTestId("origins");
        var primary = origins.Locator("tbody tr", new() { HasText = "models:/breast-cancer/3" });
        await Expect(primary.GetByRole(AriaRole.Link, new() { Name = "quickstart-retrain #1" })).ToHaveAttributeAsync("href", "#/pipelines/runs/1");
        await Expect(primary.GetByRole(AriaRole.Link, new() { Name = "models:/breast-cancer/3" })).ToHaveAttributeAsync("href", "#/models/breast-cancer/versions/3");

        // The audit trail names the pipeline step that started the rollout.
        await Expect(ui.Main.Locator(".card", new() { HasText = "Audit trail" })).ToContainTextAsync("pipeline:quickstart-retrain/run:1/step:canary");
        await ui.ScreenshotAsync("endpoint");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task Live_figures_count_the_predictions_as_they_arrive()
    {
        await using var ui = await server.OpenAsync("/endpoints/breast-cancer");
        var requests = ui.Page.GetByTestId("live-requests");
        await Expect(requests).ToHaveTextAsync(new Regex(@"^[\d,]+$"));
        var before = ParseCount(await requests.TextContentAsync());

        using var http = new HttpClient { BaseAddress = server.Address };
        for (var i = 0; i < 3; i++)
        {
            using var body = new StringContent(Rows, Encoding.UTF8, "application/json");
            var answer = await http.PostAsync(new Uri("/endpoints/breast-cancer/invocations", UriKind.Relative), body);
            Assert.True(answer.IsSuccessStatusCode, await answer.Content.ReadAsStringAsync());
        }

        // The page refreshes on its own every few seconds.
        await Expect(requests).Not.ToHaveTextAsync(before.ToString("N0", CultureInfo.InvariantCulture), new() { Timeout = 10_000 });
        Assert.True(ParseCount(await requests.TextContentAsync()) >= before + 3);
        var v3 = ui.Page.GetByTestId("live-figures").Locator("table.table tbody tr", new() { HasText = "models:/breast-cancer/3" });
        await Expect(v3).ToContainTextAsync(new Regex(@"\d+(\.\d+)? ms"));
        // Requests per second, from the counters the page has read while open.
        await Expect(ui.Page.GetByTestId("live-rate-chart").Locator("canvas")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await ui.ScreenshotAsync("endpoint-live");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task Promote_without_a_rollout_shows_the_servers_refusal_and_changes_nothing()
    {
        var before = await GetEndpointAsync();
        await using var ui = await server.OpenAsync("/endpoints/breast-cancer");
        await ui.Main.GetByRole(AriaRole.Button, new() { Name = "Promote", Exact = true }).ClickAsync();
        var dialog = ui.Page.GetByRole(AriaRole.Dialog, new() { Name = "Promote on breast-cancer" });
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog).ToContainTextAsync("No rollout is running");
        await Expect(dialog).ToContainTextAsync("models:/breast-cancer/3 100%");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Promote" }).ClickAsync();
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("Endpoint 'breast-cancer' has no rollout in progress.");
        await Expect(dialog.GetByRole(AriaRole.Alert)).ToContainTextAsync("The change was refused");
        await ui.ScreenshotAsync("endpoint-promote-refused");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();

        var after = await GetEndpointAsync();
        Assert.Equal(before.GetProperty("version").GetInt64(), after.GetProperty("version").GetInt64());
        Assert.Equal("promoted", after.GetProperty("rollout").GetProperty("state").GetString());
        Assert.Equal(100, after.GetProperty("routes")[0].GetProperty("weight").GetInt32());
        Assert.Equal("models:/breast-cancer/3", after.GetProperty("routes")[0].GetProperty("model_uri").GetString());

        // The other dialogs say what would happen to traffic before anything is sent.
        await ui.Main.GetByRole(AriaRole.Button, new() { Name = "Roll back" }).ClickAsync();
        var rollback = ui.Page.GetByRole(AriaRole.Dialog, new() { Name = "Roll back breast-cancer" });
        await Expect(rollback).ToContainTextAsync("models:/breast-cancer/2 (kept warm) takes 100% of traffic at once");
        await rollback.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await ui.Main.GetByRole(AriaRole.Button, new() { Name = "Start rollout" }).ClickAsync();
        var start = ui.Page.GetByRole(AriaRole.Dialog, new() { Name = "Start a rollout on breast-cancer" });
        await start.GetByLabel("Challenger model URI").FillAsync("models:/breast-cancer/1");
        await Expect(start).ToContainTextAsync("models:/breast-cancer/1 gets 10%, then 50%, then 100% of live traffic");
        await start.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        Assert.Equal(before.GetProperty("version").GetInt64(), (await GetEndpointAsync()).GetProperty("version").GetInt64());

        // The browser logs the refused request (409) itself; that one was the point of the test.
        ui.Errors.RemoveAll(e => e.Contains("409 (Conflict)", StringComparison.Ordinal));
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task A_rollout_started_from_the_page_splits_traffic_and_abort_gives_it_all_back()
    {
        // On an endpoint of its own: the other tests read breast-cancer as the quickstart left it.
        const string name = "ui-rollout";
        using var http = new HttpClient { BaseAddress = server.Address };
        var created = await http.PostAsJsonAsync(new Uri("/api/2.0/keel/endpoints", UriKind.Relative), new Dictionary<string, string> { ["name"] = name, ["model_uri"] = "models:/breast-cancer/2" });
        Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
        try
        {
            await using var ui = await server.OpenAsync($"/endpoints/{name}");
            await ui.Main.GetByRole(AriaRole.Button, new() { Name = "Start rollout" }).ClickAsync();
            var start = ui.Page.GetByRole(AriaRole.Dialog, new() { Name = $"Start a rollout on {name}" });
            await start.GetByLabel("Challenger model URI").FillAsync("models:/breast-cancer/3");
            await start.GetByLabel("Hold", new() { Exact = true }).FillAsync("3600");
            await Expect(start).ToContainTextAsync("models:/breast-cancer/3 gets 10%, then 50%, then 100% of live traffic, at least 3600 s per step; models:/breast-cancer/2 answers the rest.");
            await start.GetByRole(AriaRole.Button, new() { Name = "Start rollout" }).ClickAsync();
            await Expect(start).ToBeHiddenAsync();

            var split = ui.Page.GetByTestId("traffic-split");
            await Expect(split.Locator(".split-seg")).ToHaveTextAsync(["90%", "10%"]);
            var card = ui.Page.GetByTestId("rollout");
            await Expect(card.Locator(".timeline li")).ToHaveCountAsync(3);
            await Expect(card.Locator(".timeline li").Nth(0)).ToContainTextAsync("in progress");
            await Expect(card.Locator(".timeline li").Nth(1)).ToContainTextAsync("to come");
            await ui.ScreenshotAsync("endpoint-rollout-running");

            await ui.Main.GetByRole(AriaRole.Button, new() { Name = "Abort" }).ClickAsync();
            var abort = ui.Page.GetByRole(AriaRole.Dialog, new() { Name = $"Abort the rollout on {name}" });
            await Expect(abort).ToContainTextAsync("models:/breast-cancer/2 takes back 100% of traffic now; models:/breast-cancer/3 gets none.");
            await abort.GetByLabel("Reason (kept in the audit trail)").FillAsync("seen enough");
            await abort.GetByRole(AriaRole.Button, new() { Name = "Abort rollout" }).ClickAsync();
            await Expect(abort).ToBeHiddenAsync();
            await Expect(split.Locator(".split-seg")).ToHaveTextAsync(["100%"]);
            await Expect(card).ToContainTextAsync("seen enough");

            var stored = (await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/2.0/keel/endpoints/{name}", UriKind.Relative))).GetProperty("endpoint");
            Assert.Equal("aborted", stored.GetProperty("rollout").GetProperty("state").GetString());
            var primary = stored.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("role").GetString() == "primary");
            Assert.Equal("models:/breast-cancer/2", primary.GetProperty("model_uri").GetString());
            Assert.Equal(100, primary.GetProperty("weight").GetInt32());
            await Expect(ui.Main.Locator(".card", new() { HasText = "Audit trail" })).ToContainTextAsync("rollout.abort");
            ui.AssertNoErrors();
        }
        finally
        {
            using var delete = new HttpRequestMessage(HttpMethod.Delete, new Uri($"/api/2.0/keel/endpoints/{name}", UriKind.Relative)) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
            var deleted = await http.SendAsync(delete);
            Assert.True(deleted.IsSuccessStatusCode, await deleted.Content.ReadAsStringAsync());
        }
    }

    [UiFact]
    public async Task On_a_phone_the_serving_pages_fit_the_screen()
    {
        foreach (var fragment in new[] { "/endpoints", "/endpoints/breast-cancer", "/monitoring/breast-cancer", "/alerts", "/alerts/1" })
        {
            await using var ui = await server.OpenAsync(fragment, width: 390, height: 844);
            await ui.AssertFitsWidthAsync($"{fragment} scrolls sideways at 390 px");
            if (fragment == "/endpoints/breast-cancer")
            {
                await Expect(ui.Page.GetByTestId("traffic-split").Locator(".split-seg")).ToHaveTextAsync("100%");
                await ui.ScreenshotAsync("phone-endpoint");
            }

            ui.AssertNoErrors();
        }
    }

    private async Task<JsonElement> GetEndpointAsync()
    {
        using var http = new HttpClient { BaseAddress = server.Address };
        var response = await http.GetFromJsonAsync<JsonElement>(new Uri("/api/2.0/keel/endpoints/breast-cancer", UriKind.Relative));
        return response.GetProperty("endpoint");
    }

    private static long ParseCount(string? text) => long.Parse(text!.Replace(",", string.Empty, StringComparison.Ordinal), CultureInfo.InvariantCulture);

    // Two rows of the breast-cancer features (from the quickstart's holdout).
    private const string Rows = """
        {"dataframe_split": {"columns": ["mean_radius","mean_texture","mean_perimeter","mean_area","mean_smoothness","mean_compactness","mean_concavity","mean_concave_points","mean_symmetry","mean_fractal_dimension","radius_error","texture_error","perimeter_error","area_error","smoothness_error","compactness_error","concavity_error","concave_points_error","symmetry_error","fractal_dimension_error","worst_radius","worst_texture","worst_perimeter","worst_area","worst_smoothness","worst_compactness","worst_concavity","worst_concave_points","worst_symmetry","worst_fractal_dimension"],
          "data": [[13.54,14.36,87.46,566.3,0.09779,0.08129,0.06664,0.04781,0.1885,0.05766,0.2699,0.7886,2.058,23.56,0.008462,0.0146,0.02387,0.01315,0.0198,0.0023,15.11,19.26,99.7,711.2,0.144,0.1773,0.239,0.1288,0.2977,0.07259],
                   [20.57,17.77,132.9,1326,0.08474,0.07864,0.0869,0.07017,0.1812,0.05667,0.5435,0.7339,3.398,74.08,0.005225,0.01308,0.0186,0.0134,0.01389,0.003532,24.99,23.41,158.8,1956,0.1238,0.1866,0.2416,0.186,0.275,0.08902]]}}
        """;
}
