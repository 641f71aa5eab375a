using System.Text.Json;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Keel.Ui.Tests;

/// <summary>Datasets: the list, a dataset's versions and suite, and a version's schema, profile, validation result and the runs that used it.</summary>
[Collection(UiCollection.Name)]
public sealed class DatasetsPageTests(UiServer server)
{
    [UiFact]
    public async Task The_list_shows_the_quickstart_datasets_and_a_dataset_shows_its_versions_and_suite()
    {
        await using var ui = await server.OpenAsync("/datasets");
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Datasets");
        var rows = ui.Main.Locator("table").First.Locator("tbody tr");
        await Expect(rows).ToHaveCountAsync(2);
        var main = rows.Filter(new() { Has = ui.Page.GetByRole(AriaRole.Link, new() { Name = "breast-cancer", Exact = true }) });
        await Expect(main).ToContainTextAsync("v2");
        await Expect(main).ToContainTextAsync("tumour sizes");
        await Expect(rows.Filter(new() { HasText = "breast-cancer-holdout" })).ToContainTextAsync("v1");

        // The filter lives in the URL.
        await ui.Page.Locator("[data-search]").FillAsync("holdout");
        await Expect(rows).ToHaveCountAsync(1);
        Assert.Equal("/datasets?q=holdout", ui.Fragment);
        await ui.ScreenshotAsync("datasets");
        await ui.Page.Locator("[data-search]").FillAsync(string.Empty);

        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "breast-cancer", Exact = true }).ClickAsync();
        await ui.SettledAsync();
        Assert.Equal("/datasets/breast-cancer", ui.Fragment);
        var versions = ui.Main.Locator("table").First.Locator("tbody tr");
        await Expect(versions).ToHaveCountAsync(2);
        await Expect(versions.First).ToContainTextAsync("v2");
        var v2 = await VersionAsync(2);
        await Expect(versions.First).ToContainTextAsync(v2.GetProperty("manifest_digest").GetString()![..12]);
        await Expect(versions.First).ToContainTextAsync("341");
        await Expect(versions.Nth(1)).ToContainTextAsync("569");
        await Expect(ui.Main).ToContainTextAsync("13 expectations");
        await Expect(ui.Main).ToContainTextAsync("expect_column_values_to_be_in_set");
        await Expect(ui.Main.Locator("table").Last.Locator("tbody tr", new() { HasText = "version.add" }).First).ToContainTextAsync("version 2 (" + v2.GetProperty("manifest_digest").GetString()![..8]);
        await ui.ScreenshotAsync("dataset");

        await versions.First.GetByRole(AriaRole.Link).ClickAsync();
        await ui.SettledAsync();
        Assert.Equal("/datasets/breast-cancer/versions/2", ui.Fragment);
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task A_version_shows_its_schema_profile_with_histograms_validation_and_the_runs_that_used_it()
    {
        await using var ui = await server.OpenAsync("/datasets/breast-cancer/versions/2");
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("breast-cancer v2");
        await Expect(ui.Main).ToContainTextAsync((await VersionAsync(2)).GetProperty("manifest_digest").GetString()!);

        // Schema: 31 columns, the label a string.
        await Expect(ui.Main.Locator(".schema-col")).ToHaveCountAsync(31);
        await Expect(ui.Main.Locator(".schema-col", new() { HasText = "diagnosis" })).ToContainTextAsync("string");

        // Profile: one row per column, a histogram drawn for each of the 30 numeric columns.
        var profile = ui.Main.Locator("table").Nth(0);
        await Expect(profile.Locator("tbody tr")).ToHaveCountAsync(31);
        var radius = profile.Locator("tbody tr", new() { HasText = "mean_radius" }).First;
        await Expect(radius).ToContainTextAsync("float");
        await Expect(radius).ToContainTextAsync("0.0%");
        await Expect(radius).ToContainTextAsync("301");
        await Expect(radius).ToContainTextAsync("11.54");
        await Expect(radius).ToContainTextAsync("42.16");
        await Expect(radius).ToContainTextAsync("21.24");
        await Expect(profile.Locator("[data-testid=histogram]")).ToHaveCountAsync(30);
        Assert.Equal(30, await radius.Locator("[data-testid=histogram] rect").CountAsync());
        await Expect(profile.Locator("tbody tr", new() { HasText = "diagnosis" })).ToContainTextAsync("benign (218)");

        // Validation: 12 of 13 passed; the one warning that failed, with what was observed.
        await Expect(ui.Page.GetByTestId("validation-summary")).ToContainTextAsync("12 of 13 expectations passed");
        var validation = ui.Main.Locator("table").Nth(1);
        await Expect(validation.Locator("tbody tr")).ToHaveCountAsync(13);
        var failed = validation.Locator("tbody tr", new() { HasText = "expect_column_values_to_be_unique" });
        await Expect(failed).ToContainTextAsync("fail");
        await Expect(failed).ToContainTextAsync("warning");
        await Expect(failed).ToContainTextAsync("16 unexpected");
        await Expect(validation.Locator("tbody tr", new() { HasText = "expect_table_row_count_to_be_between" })).ToContainTextAsync("341");
        await Expect(validation.Locator("tbody tr", new() { HasText = "expect_column_mean_to_be_between" })).ToContainTextAsync("28.85");

        // Lineage: the retraining run used this version.
        var usedBy = ui.Page.GetByTestId("used-by");
        await Expect(usedBy).ToContainTextAsync("train-diagnosis");
        await ui.ScreenshotAsync("dataset-version");
        ui.AssertNoErrors();

        await usedBy.GetByRole(AriaRole.Link, new() { Name = "train-diagnosis" }).ClickAsync();
        Assert.StartsWith("/runs/", ui.Fragment);
    }

    [UiFact]
    public async Task An_unknown_dataset_says_what_went_wrong()
    {
        await using var ui = await server.OpenAsync("/datasets/no-such-dataset");
        await Expect(ui.Main.Locator(".error-box")).ToContainTextAsync("404");
        await Expect(ui.Main.Locator(".error-box")).ToContainTextAsync("Dataset 'no-such-dataset' does not exist.");
        await Expect(ui.Main.GetByRole(AriaRole.Button, new() { Name = "Try again" })).ToBeVisibleAsync();
        Assert.All(ui.Errors, e => Assert.Contains("404", e, StringComparison.Ordinal)); // only the browser's note of the failed request
    }

    private async Task<JsonElement> VersionAsync(int version)
    {
        using var http = new HttpClient { BaseAddress = server.Address };
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"/api/2.0/keel/datasets/breast-cancer/versions/{version}"));
        return doc.RootElement.GetProperty("version").Clone();
    }
}
