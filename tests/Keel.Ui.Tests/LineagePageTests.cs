using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Keel.Ui.Tests;

/// <summary>Lineage: the empty state with an example, the graph of the quickstart's endpoint, direction in the URL, and nodes that lead to their pages.</summary>
[Collection(UiCollection.Name)]
public sealed class LineagePageTests(UiServer server)
{
    [UiFact]
    public async Task The_empty_state_explains_what_to_type_and_its_example_traces_the_quickstart_endpoint()
    {
        await using var ui = await server.OpenAsync("/lineage");
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Lineage");
        var empty = ui.Page.GetByTestId("empty");
        await Expect(empty).ToContainTextAsync("Type a URI to trace");
        await Expect(empty).ToContainTextAsync("keel lineage endpoints:/breast-cancer");
        await ui.ScreenshotAsync("lineage-empty");

        await empty.GetByRole(AriaRole.Link, new() { Name = "endpoints:/breast-cancer" }).ClickAsync();
        await ui.SettledAsync();
        await Expect(ui.Page.GetByTestId("lineage-svg")).ToBeVisibleAsync();
        await Expect(ui.Page.GetByLabel("URI")).ToHaveValueAsync("endpoints:/breast-cancer");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task The_quickstart_endpoint_traces_back_to_its_datasets_with_links_to_every_node()
    {
        await using var ui = await server.OpenAsync("/lineage?uri=endpoints:/breast-cancer");
        var svg = ui.Page.GetByTestId("lineage-svg");
        await Expect(svg).ToBeVisibleAsync();
        await Expect(svg).ToContainTextAsync("breast-cancer v3");
        await Expect(svg).ToContainTextAsync("serves 100%");
        Assert.True((await svg.BoundingBoxAsync())!.Width > 300, "the graph is drawn at a readable size");
        // The graph's nodes are links too.
        await Expect(svg.Locator("a[data-node='models:/breast-cancer/3']")).ToHaveAttributeAsync("href", "#/models/breast-cancer/versions/3");

        var nodes = ui.Page.GetByTestId("lineage-nodes");
        await Expect(nodes.GetByRole(AriaRole.Link, new() { Name = "breast-cancer v2", Exact = true }).First).ToHaveAttributeAsync("href", "#/datasets/breast-cancer/versions/2");
        await Expect(nodes.GetByRole(AriaRole.Link, new() { Name = "breast-cancer v3" })).ToHaveAttributeAsync("href", "#/models/breast-cancer/versions/3");
        await Expect(nodes.GetByRole(AriaRole.Link, new() { Name = "train-diagnosis" })).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("^#/runs/[0-9a-f]{32}$"));
        await Expect(nodes.GetByRole(AriaRole.Link, new() { Name = "breast-cancer", Exact = true })).ToHaveAttributeAsync("href", "#/endpoints/breast-cancer");
        await Expect(nodes.Locator("li[data-node]")).ToHaveCountAsync(7);
        await ui.ScreenshotAsync("lineage");

        // The direction lives in the URL.
        await ui.Page.GetByLabel("Direction").SelectOptionAsync("downstream");
        await ui.SettledAsync();
        Assert.Contains("direction=downstream", ui.Fragment, StringComparison.Ordinal);
        Assert.StartsWith("/lineage?uri=endpoints", ui.Fragment, StringComparison.Ordinal);
        await Expect(nodes.Locator("li[data-node]")).ToHaveCountAsync(1);

        // A dataset version's node leads to its page.
        await ui.Page.GetByLabel("URI").FillAsync("datasets:/breast-cancer/2");
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Trace" }).ClickAsync();
        await ui.SettledAsync();
        await Expect(nodes.GetByRole(AriaRole.Link, new() { Name = "breast-cancer v3" })).ToBeVisibleAsync();
        ui.AssertNoErrors();
        await nodes.GetByRole(AriaRole.Link, new() { Name = "breast-cancer v2", Exact = true }).ClickAsync();
        await ui.SettledAsync();
        Assert.Equal("/datasets/breast-cancer/versions/2", ui.Fragment);
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("breast-cancer v2");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task On_a_phone_the_data_pipeline_and_lineage_pages_do_not_scroll_sideways()
    {
        string[] fragments = ["/lineage?uri=endpoints:/breast-cancer", "/datasets", "/datasets/breast-cancer", "/datasets/breast-cancer/versions/2", "/pipelines", "/pipelines/quickstart-retrain?plan=1", "/pipelines/runs/1"];
        foreach (var fragment in fragments)
        {
            await using var ui = await server.OpenAsync(fragment, width: 390, height: 844);
            await Expect(ui.Page.Locator("h1")).ToBeVisibleAsync();
            var overflow = await ui.Page.EvaluateAsync<int>("document.documentElement.scrollWidth - innerWidth");
            if (overflow > 1)
            {
                var culprits = await ui.Page.EvaluateAsync<string>("[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.table-wrap, .dag-wrap')).slice(0, 5).map(e => e.tagName + '.' + e.className).join(', ')");
                Assert.Fail($"{fragment} scrolls sideways by {overflow} px at 390 px: {culprits}");
            }

            await ui.ScreenshotAsync("phone" + fragment.Split('?')[0].Replace('/', '-'));
            ui.AssertNoErrors();
        }
    }

    [UiFact]
    public async Task An_unknown_uri_says_what_went_wrong()
    {
        await using var ui = await server.OpenAsync("/lineage?uri=nonsense:/x");
        await Expect(ui.Main.Locator(".error-box")).ToContainTextAsync("Could not trace nonsense:/x");
        Assert.All(ui.Errors, e => Assert.Contains("400", e, StringComparison.Ordinal));
    }
}
