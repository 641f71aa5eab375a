using Keel.Core.Errors;
using Keel.Core.Registry;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Keel.Ui.Tests;

/// <summary>Registered models, a model's versions and aliases (moving one asks first), and a version's run and lineage.</summary>
[Collection(UiCollection.Name)]
public sealed class ModelsPageTests(UiServer server)
{
    private const string Model = "breast-cancer";

    [UiFact]
    public async Task The_models_list_shows_the_quickstart_model_with_its_latest_version_and_aliases()
    {
        await using var ui = await server.OpenAsync("/models");
        var row = ui.Main.GetByRole(AriaRole.Row, new() { Name = Model });
        await Expect(row).ToContainTextAsync("v3");
        await Expect(row).ToContainTextAsync("@champion → v3");
        await ui.ScreenshotAsync("models");

        // The name filter finds it by part of its name, and says so when nothing matches.
        await ui.Page.Keyboard.PressAsync("/");
        await ui.Page.Keyboard.TypeAsync("no-such-model");
        await ui.Page.Keyboard.PressAsync("Enter");
        await Expect(ui.Main).ToContainTextAsync("No model name contains \"no-such-model\".");
        Assert.Contains("q=no-such-model", ui.Fragment, StringComparison.Ordinal);
        await ui.Page.GetByLabel("Filter models by name").FillAsync("CANCER");
        await ui.Page.Keyboard.PressAsync("Enter");
        await ui.Main.GetByRole(AriaRole.Link, new() { Name = Model }).ClickAsync();
        Assert.Equal("/models/" + Model, ui.Fragment);
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task The_model_page_shows_its_versions_aliases_and_a_metric_across_versions()
    {
        await using var ui = await server.OpenAsync("/models/" + Model);
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync(Model);
        foreach (var v in new[] { "v1", "v2", "v3" })
        {
            await Expect(VersionRow(ui, v)).ToHaveCountAsync(1);
        }

        var v3 = VersionRow(ui, "v3");
        await Expect(v3).ToContainTextAsync("@champion");
        await Expect(v3).ToContainTextAsync("train-diagnosis");
        await Expect(VersionRow(ui, "v1")).ToContainTextAsync("quickstart-baseline");
        await Expect(ui.Page.GetByTestId("aliases").Locator("li[data-alias=champion]")).ToContainTextAsync("version 3");

        // auc of each version's source run, on a chart over version numbers.
        var chart = ui.Page.GetByTestId("version-metric-chart");
        await Expect(chart.Locator("canvas")).ToHaveCountAsync(1);
        await Expect(chart).ToHaveAttributeAsync("data-points", "3");
        await ui.ScreenshotAsync("model");

        // The versions' source runs side by side.
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Compare their source runs →" }).ClickAsync();
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Compare 3 runs");
        await Expect(ui.Page.Locator("[data-testid=parallel-coordinates] polyline")).ToHaveCountAsync(3);
        ui.AssertNoErrors();

        await using var phone = await server.OpenAsync("/models/" + Model, width: 390, height: 844);
        await Expect(phone.Page.GetByTestId("version-metric-chart").Locator("canvas")).ToHaveCountAsync(1);
        await phone.AssertFitsWidthAsync("the model page scrolls sideways at 390 px");
        await phone.ScreenshotAsync("phone-model");
        phone.AssertNoErrors();
    }

    [UiFact]
    public async Task Setting_moving_and_deleting_an_alias_asks_first_and_cancel_changes_nothing()
    {
        const string alias = "ui-test";
        try
        {
            await using var ui = await server.OpenAsync("/models/" + Model);
            var dialog = ui.Page.GetByRole(AriaRole.Dialog);

            // A new alias on version 1: cancel first, then confirm.
            await ui.Page.GetByLabel("Alias", new() { Exact = true }).FillAsync(alias);
            await ui.Page.GetByLabel("Version for the alias").SelectOptionAsync("1");
            await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Set alias…" }).ClickAsync();
            await Expect(dialog).ToContainTextAsync($"models:/{Model}@{alias} will serve version 1");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
            await Assert.ThrowsAsync<KeelException>(() => server.Client.GetModelVersionByAliasAsync(Model, alias));

            await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Set alias…" }).ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Set @" + alias }).ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
            await Expect(ui.Page.Locator($"li[data-alias={alias}]")).ToContainTextAsync("version 1");
            Assert.Equal(1, (await server.Client.GetModelVersionByAliasAsync(Model, alias)).Version);

            // Moving it says what will serve instead of what; Cancel leaves it where it was.
            var item = ui.Page.Locator($"li[data-alias={alias}]");
            await item.GetByRole(AriaRole.Button, new() { Name = "Move…" }).ClickAsync();
            await ui.Page.GetByLabel("Version for the alias").SelectOptionAsync("2");
            await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Set alias…" }).ClickAsync();
            await Expect(dialog).ToContainTextAsync($"models:/{Model}@{alias} will serve version 2 instead of 1; endpoints that follow the alias pick it up.");
            await ui.ScreenshotAsync("model-move-alias");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            Assert.Equal(1, (await server.Client.GetModelVersionByAliasAsync(Model, alias)).Version);

            await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Set alias…" }).ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Move @" + alias }).ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
            await Expect(item).ToContainTextAsync("version 2");
            Assert.Equal(2, (await server.Client.GetModelVersionByAliasAsync(Model, alias)).Version);

            // Deleting it.
            await item.GetByRole(AriaRole.Button, new() { Name = "Delete…" }).ClickAsync();
            await Expect(dialog).ToContainTextAsync($"models:/{Model}@{alias} will no longer resolve");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Delete @" + alias }).ClickAsync();
            await Expect(item).ToHaveCountAsync(0);
            await Assert.ThrowsAsync<KeelException>(() => server.Client.GetModelVersionByAliasAsync(Model, alias));

            // Moving @champion needs its name typed; cancelling leaves it on version 3.
            await ui.Page.Locator("li[data-alias=champion]").GetByRole(AriaRole.Button, new() { Name = "Move…" }).ClickAsync();
            await ui.Page.GetByLabel("Version for the alias").SelectOptionAsync("2");
            await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Set alias…" }).ClickAsync();
            await Expect(dialog).ToContainTextAsync($"models:/{Model}@champion will serve version 2 instead of 3");
            var move = dialog.GetByRole(AriaRole.Button, new() { Name = "Move @champion" });
            await Expect(move).ToBeDisabledAsync();
            await dialog.GetByLabel("Type champion to confirm").FillAsync("champio");
            await Expect(move).ToBeDisabledAsync();
            await ui.ScreenshotAsync("model-move-champion");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            Assert.Equal(3, (await server.Client.GetModelVersionByAliasAsync(Model, "champion")).Version);
            ui.AssertNoErrors();
        }
        finally
        {
            try
            {
                await server.Client.DeleteAliasAsync(Model, alias, null);
            }
            catch (KeelException)
            {
                // already gone
            }
        }
    }

    [UiFact]
    public async Task Changing_a_stage_says_from_what_to_what_and_happens_on_confirm()
    {
        try
        {
            await using var ui = await server.OpenAsync("/models/" + Model);
            var dialog = ui.Page.GetByRole(AriaRole.Dialog);
            await ui.Page.GetByLabel("Version for the stage").SelectOptionAsync("1");
            await ui.Page.GetByLabel("New stage").SelectOptionAsync("Archived");
            await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Change stage…" }).ClickAsync();
            await Expect(dialog).ToContainTextAsync($"Version 1 of {Model} moves from None to Archived.");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            Assert.Equal(ModelStage.None, (await server.Client.GetModelVersionAsync(Model, 1)).CurrentStage);

            await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Change stage…" }).ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Move to Archived" }).ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
            await Expect(VersionRow(ui, "v1")).ToContainTextAsync("Archived");
            Assert.Equal(ModelStage.Archived, (await server.Client.GetModelVersionAsync(Model, 1)).CurrentStage);
            ui.AssertNoErrors();
        }
        finally
        {
            await server.Client.TransitionStageAsync(Model, 1, ModelStage.None, archiveExistingVersions: false, actor: null);
        }
    }

    [UiFact]
    public async Task A_version_page_links_its_source_run_and_shows_its_lineage_and_endpoint()
    {
        var version = await server.Client.GetModelVersionAsync(Model, 3);
        await using var ui = await server.OpenAsync($"/models/{Model}/versions/3");
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync($"{Model} version 3");
        var run = ui.Page.GetByTestId("source-run");
        await Expect(run).ToHaveTextAsync("train-diagnosis");
        await Expect(run).ToHaveAttributeAsync("href", "#/runs/" + version.RunId);

        // The run's metrics and params.
        await Expect(ComparePageTests.Row(ui.Main.Locator(".card", new() { HasText = "Run metrics" }), "auc")).ToContainTextAsync("1");
        await Expect(ComparePageTests.Row(ui.Main.Locator(".card", new() { HasText = "Run params" }), "label")).ToContainTextAsync("diagnosis");

        // Served by the quickstart's endpoint, with all the traffic.
        await Expect(ui.Main.Locator(".card", new() { HasText = "Served by" }).GetByRole(AriaRole.Row, new() { Name = "breast-cancer" })).ToContainTextAsync("100%");

        // The lineage picture loaded, and links to the lineage view.
        var lineage = ui.Page.GetByTestId("lineage");
        await Expect(lineage).ToBeVisibleAsync();
        await ui.Page.WaitForFunctionAsync("() => { const i = document.querySelector('[data-testid=lineage]'); return i && i.complete && i.naturalWidth > 100; }");
        await Expect(ui.Page.GetByRole(AriaRole.Link, new() { Name = "Open in the lineage view →" })).ToHaveAttributeAsync("href", "#/lineage?uri=models%3A%2Fbreast-cancer%2F3");
        await ui.ScreenshotAsync("model-version");
        ui.AssertNoErrors();
    }

    private static ILocator VersionRow(UiPage ui, string version) =>
        ui.Main.Locator("tbody tr").Filter(new() { Has = ui.Page.GetByRole(AriaRole.Link, new() { Name = version, Exact = true }) });
}
