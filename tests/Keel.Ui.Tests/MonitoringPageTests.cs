using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Keel.Ui.Tests;

/// <summary>
/// Monitoring and alerts: the quickstart sent drifted traffic to breast-cancer, labelled it, and its
/// two rules (accuracy, drift share) fired; the drift alert started the retraining pipeline's run 1.
/// </summary>
[Collection(UiCollection.Name)]
public sealed class MonitoringPageTests(UiServer server)
{
    [UiFact]
    public async Task The_monitoring_page_shows_features_with_the_drifting_ones_marked_and_charted()
    {
        await using var ui = await server.OpenAsync("/monitoring");
        var row = ui.Main.Locator("tbody tr", new() { HasText = "breast-cancer" });
        await Expect(row).ToContainTextAsync("of 30");
        // The quickstart fires two alerts; the server keeps evaluating, and a later window back under
        // its threshold may already have resolved one, so the badge shows one or two open.
        await Expect(row.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^[12] open$") })).ToBeVisibleAsync();
        await row.GetByRole(AriaRole.Link, new() { Name = "breast-cancer" }).ClickAsync();
        Assert.Equal("/monitoring/breast-cancer", ui.Fragment);
        await ui.SettledAsync();

        // Minute windows mix the quickstart's drifted phase with the undrifted traffic sent just
        // before it; the quickstart sends each phase in a five-second window of its own (its alert
        // rules' window), and a person investigating would look at those.
        await ui.Page.GetByLabel("Window", new() { Exact = true }).SelectOptionAsync("5s");
        Assert.Contains("window=5s", ui.Fragment, StringComparison.Ordinal);
        await Expect(ui.Main).ToContainTextAsync("windows of 5s");
        var drift = ui.Main.Locator(".card", new() { HasText = "Feature drift" });
        var features = drift.Locator("table.table tbody tr");
        await Expect(features).ToHaveCountAsync(30);
        var note = drift.Locator("p.inline-note").First;
        var shown = ui.Page.GetByLabel("Window shown");
        // Show the drifted phase's window: the one the quickstart's drift alert fired on. (Counting
        // drifting features does not pick it out: the retrain pipeline's canary windows, drifted
        // holdout rows against the old model's reference, can drift as much.) The note names the
        // window shown, so a choice is read only once the page has drawn it.
        var fired = await DriftAlertWindowAsync();
        var options = await shown.Locator("option").EvaluateAllAsync<string[][]>("os => os.map(o => [o.value, o.textContent.split(' · ')[0]])");
        var match = options.Where(o => DateTimeOffset.Parse(o[0], System.Globalization.CultureInfo.InvariantCulture) == fired).ToList();
        Assert.True(match.Count == 1, $"the window the drift alert fired on ({fired:O}) is not offered: {string.Join(", ", options.Select(o => o[0]))}");
        var best = (Value: match[0][0], Label: match[0][1]);
        await ShowAsync([best.Value, best.Label]);
        // The quickstart measured tumour sizes half as large again: they drift, and say so in red.
        foreach (var feature in new[] { "mean_radius", "mean_perimeter", "mean_area" })
        {
            var f = features.Filter(new() { HasText = feature }).First;
            // Marked in a window of the range (the drifted phase may span several one-second windows).
            await Expect(f.Locator(".drift-mark")).Not.ToHaveCountAsync(0);
            await Expect(f).ToContainTextAsync("ks");
            await Expect(f).ToContainTextAsync("0.05");
            await Expect(f.GetByRole(AriaRole.Checkbox)).ToBeCheckedAsync();
        }

        await Expect(features.Filter(new() { HasText = "mean_radius" }).First.Locator("[data-drifting]")).ToHaveCountAsync(1);

        // A feature the quickstart left alone does not drift in that window.
        await Expect(features.Filter(new() { HasText = "fractal_dimension_error" }).Locator("[data-drifting]")).ToHaveCountAsync(0);

        // The chart draws each drifting feature's score over the windows (and the threshold).
        var chart = ui.Page.GetByTestId("drift-chart");
        await Expect(chart.Locator("canvas")).ToHaveCountAsync(1);
        await Expect(chart).ToContainTextAsync("mean_radius");
        await Expect(chart).ToContainTextAsync("threshold (ks)");
        Assert.True(await chart.Locator("canvas").EvaluateAsync<bool>(
            "c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true; return false; }"),
            "the drift chart drew nothing");

        // Ticking a feature adds it to the chart; the choice lives in the URL.
        await features.Filter(new() { HasText = "worst_symmetry" }).GetByRole(AriaRole.Checkbox).CheckAsync();
        await Expect(chart).ToContainTextAsync("worst_symmetry");
        Assert.Contains("worst_symmetry", Uri.UnescapeDataString(ui.Fragment), StringComparison.Ordinal);

        // Quality from the labels, traffic, and this endpoint's alerts.
        var quality = ui.Main.Locator(".card", new() { HasText = "Quality" });
        await Expect(quality).ToContainTextAsync("300 labels");
        await Expect(quality).ToContainTextAsync("accuracy");
        await Expect(ui.Page.GetByTestId("quality-chart").Locator("canvas")).ToHaveCountAsync(1);
        await Expect(ui.Page.GetByTestId("volume-chart").Locator("canvas")).ToHaveCountAsync(1);
        var alerts = ui.Main.Locator(".card", new() { HasText = "Alerts on breast-cancer" });
        await Expect(alerts.GetByRole(AriaRole.Link, new() { Name = "quickstart-drift" })).ToBeVisibleAsync();
        await ui.ScreenshotAsync("monitoring");
        ui.AssertNoErrors();

        async Task ShowAsync(string[] option)
        {
            await shown.SelectOptionAsync(option[0]);
            await Expect(note).ToContainTextAsync($"the window of {option[1]}:");
        }
    }

    [UiFact]
    public async Task The_alerts_page_lists_the_two_quickstart_alerts_in_their_state_and_the_drift_alert_links_to_pipeline_run_1()
    {
        var drift = await AlertIdAsync("quickstart-drift");

        // The quickstart fired both alerts, but the server keeps evaluating: a later window back under
        // a threshold resolves one (resolved is final). So each row must show the state the server
        // held while the page was open: read before the page and after the row, and when the two
        // agree the row must say the same.
        var before = new Dictionary<string, string>
        {
            ["quickstart-drift"] = await AlertStateAsync("quickstart-drift"),
            ["quickstart-accuracy"] = await AlertStateAsync("quickstart-accuracy"),
        };
        await using var ui = await server.OpenAsync("/alerts");
        var rows = ui.Main.Locator("tbody tr");
        foreach (var (rule, metric) in new[] { ("quickstart-drift", "drift_share"), ("quickstart-accuracy", "accuracy") })
        {
            var row = rows.Filter(new() { HasText = rule });
            await Expect(row).ToHaveCountAsync(1);
            await Expect(row).ToContainTextAsync(metric);
            await Expect(row).ToContainTextAsync("breast-cancer");
            await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(firing|resolved)$"));
            var shown = (await row.Locator("td").Nth(1).TextContentAsync())!.Trim();
            var after = await AlertStateAsync(rule);
            Assert.True(shown == before[rule] || shown == after, $"{rule}: the page shows {shown}; the server said {before[rule]} before and {after} after");
            Assert.True(before[rule] != after || shown == after, $"{rule}: the page shows {shown}, the server said {after} throughout");
            if (rule == "quickstart-drift" && shown == "firing")
            {
                // The breaching value against the warning threshold.
                await Expect(row).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"0\.\d+ ≥ 0\.2"));
            }
        }

        await ui.ScreenshotAsync("alerts");

        await rows.Filter(new() { HasText = "quickstart-drift" }).GetByRole(AriaRole.Link, new() { Name = $"#{drift}" }).ClickAsync();
        Assert.Equal($"/alerts/{drift}", ui.Fragment);
        await ui.SettledAsync();
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync($"Alert #{drift}: quickstart-drift");
        var runs = ui.Page.GetByTestId("triggered-runs");
        await Expect(runs.GetByRole(AriaRole.Link, new() { Name = "quickstart-retrain #1" })).ToHaveAttributeAsync("href", "#/pipelines/runs/1");
        await Expect(ui.Main.Locator(".card", new() { HasText = "State changes" })).ToContainTextAsync("at or above the warning threshold 0.2");
        await Expect(ui.Main.Locator(".card", new() { HasText = "Webhook deliveries" })).ToContainTextAsync("the rule has no webhook");
        await ui.ScreenshotAsync("alert");

        // The rules tab.
        await ui.GoAsync("/alerts?tab=rules");
        var accuracyRule = ui.Main.Locator("tbody tr", new() { HasText = "quickstart-accuracy" });
        await Expect(accuracyRule).ToContainTextAsync("accuracy over 5s ≤ 0.9 (warning), 0.8 (critical)");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task Acknowledging_the_accuracy_alert_records_who_and_leaves_it_firing()
    {
        // The accuracy alert: only a window of new labelled traffic could resolve it, and no test sends one.
        var id = await AlertIdAsync("quickstart-accuracy");
        await using var ui = await server.OpenAsync($"/alerts/{id}");
        await ui.Main.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        var dialog = ui.Page.GetByRole(AriaRole.Dialog, new() { Name = $"Acknowledge alert #{id}" });
        await Expect(dialog).ToContainTextAsync("The alert stays firing");
        await dialog.GetByLabel("Acknowledged by").FillAsync("ui-test");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Acknowledge" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(ui.Main).ToContainTextAsync("by ui-test at");
        await Expect(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Acknowledged" })).ToBeDisabledAsync();
        await ui.ScreenshotAsync("alert-acknowledged");

        using var http = new HttpClient { BaseAddress = server.Address };
        var alert = (await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/2.0/keel/alerts/{id}", UriKind.Relative))).GetProperty("alert");
        Assert.Equal("ui-test", alert.GetProperty("acknowledged_by").GetString());
        Assert.Equal("firing", alert.GetProperty("state").GetString());
        ui.AssertNoErrors();
    }

    // The window the drift alert went to firing on.
    private async Task<DateTimeOffset> DriftAlertWindowAsync()
    {
        using var http = new HttpClient { BaseAddress = server.Address };
        var details = await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/2.0/keel/alerts/{await AlertIdAsync("quickstart-drift")}", UriKind.Relative));
        var firing = details.GetProperty("events").EnumerateArray().First(e => e.GetProperty("to").GetString() == "firing");
        return DateTimeOffset.FromUnixTimeMilliseconds(firing.GetProperty("window_start").GetInt64());
    }

    // The state of the rule's newest alert: pending, firing or resolved.
    private async Task<string> AlertStateAsync(string rule)
    {
        using var http = new HttpClient { BaseAddress = server.Address };
        var alerts = await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/2.0/keel/alerts?rule={rule}", UriKind.Relative));
        return alerts.GetProperty("alerts").EnumerateArray().OrderBy(a => a.GetProperty("id").GetInt64()).Last().GetProperty("state").GetString()!.ToLowerInvariant();
    }

    private async Task<long> AlertIdAsync(string rule)
    {
        using var http = new HttpClient { BaseAddress = server.Address };
        var alerts = await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/2.0/keel/alerts?rule={rule}", UriKind.Relative));
        return alerts.GetProperty("alerts").EnumerateArray().Single().GetProperty("id").GetInt64();
    }
}
