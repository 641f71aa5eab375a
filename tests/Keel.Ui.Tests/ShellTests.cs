using System.Net;
using System.Net.Http.Headers;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Keel.Ui.Tests;

/// <summary>The frame every page shares: the overview, navigation, themes, keyboard, narrow screens, unknown views, and how the files are served.</summary>
[Collection(UiCollection.Name)]
public sealed class ShellTests(UiServer server)
{
    [UiFact]
    public async Task The_overview_shows_the_quickstart_loop_with_links_to_each_area()
    {
        await using var ui = await server.OpenAsync("/");
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Overview");
        await Expect(ui.Page.Locator(".stat", new() { HasText = "Endpoints" })).ToContainTextAsync("1");
        await Expect(ui.Page.Locator(".stat", new() { HasText = "Firing alerts" })).Not.ToContainTextAsync("\n0");
        var endpoints = ui.Page.Locator(".card", new() { HasText = "Endpoints" });
        await Expect(endpoints.GetByRole(AriaRole.Link, new() { Name = "breast-cancer" })).ToBeVisibleAsync();
        await Expect(endpoints).ToContainTextAsync("models:/breast-cancer/3 (100%)");
        var runs = ui.Page.Locator(".card", new() { HasText = "Recent pipeline runs" });
        await Expect(runs).ToContainTextAsync("quickstart-retrain #1");
        await Expect(runs).ToContainTextAsync("succeeded");
        await ui.ScreenshotAsync("overview");

        await runs.GetByRole(AriaRole.Link, new() { Name = "quickstart-retrain #1" }).ClickAsync();
        Assert.Equal("/pipelines/runs/1", ui.Fragment);
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task The_theme_choice_applies_at_once_and_survives_a_reload()
    {
        await using var ui = await server.OpenAsync("/");
        var background = () => ui.Page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
        Assert.Equal("rgb(255, 255, 255)", await background());
        await ui.Page.GetByLabel("Theme").SelectOptionAsync("dark");
        Assert.Equal("rgb(13, 17, 23)", await background());
        await ui.Page.ReloadAsync();
        await ui.SettledAsync();
        Assert.Equal("dark", await ui.Page.EvaluateAsync<string>("document.documentElement.dataset.theme"));
        Assert.Equal("rgb(13, 17, 23)", await background());
        await ui.ScreenshotAsync("overview-dark");

        // "System" follows the operating system's preference.
        await using var systemDark = await server.OpenAsync("/", colorScheme: ColorScheme.Dark);
        Assert.Equal("rgb(13, 17, 23)", await systemDark.Page.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor"));
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task Keyboard_shortcuts_move_between_pages_and_open_the_help()
    {
        await using var ui = await server.OpenAsync("/");
        await ui.Page.Keyboard.PressAsync("g");
        await ui.Page.Keyboard.PressAsync("m");
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/models$"));
        await ui.Page.Keyboard.PressAsync("?");
        await Expect(ui.Page.GetByRole(AriaRole.Dialog, new() { Name = "Keyboard shortcuts" })).ToBeVisibleAsync();
        await ui.Page.Keyboard.PressAsync("Escape");
        await Expect(ui.Page.GetByRole(AriaRole.Dialog, new() { Name = "Keyboard shortcuts" })).ToHaveCountAsync(0);
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task On_a_phone_the_navigation_folds_into_a_menu()
    {
        await using var ui = await server.OpenAsync("/", width: 390, height: 844);
        var nav = ui.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(nav).ToBeHiddenAsync();
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Menu" }).ClickAsync();
        await Expect(nav).ToBeVisibleAsync();
        await nav.GetByRole(AriaRole.Link, new() { Name = "Endpoints" }).ClickAsync();
        await Expect(nav).ToBeHiddenAsync();
        Assert.StartsWith("/endpoints", ui.Fragment);
        // Nothing overflows sideways.
        await ui.AssertFitsWidthAsync("the page scrolls sideways at 390 px");
        await ui.ScreenshotAsync("phone-overview");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task An_unknown_view_says_so_and_links_home()
    {
        await using var ui = await server.OpenAsync("/no/such/view");
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Not found");
        await Expect(ui.Main).ToContainTextAsync("/no/such/view");
        await ui.Page.GetByRole(AriaRole.Link, new() { Name = "Go to the overview" }).ClickAsync();
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Overview");
    }

    [UiFact]
    public async Task The_files_are_served_compressed_with_etags_and_the_whole_ui_stays_under_500_KB()
    {
        using var http = new HttpClient { BaseAddress = server.Address };
        var index = await http.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Contains("default-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.True(index.Headers.CacheControl!.NoCache, "the page itself is revalidated on every load");

        // The page names its files under the release's version, and those are cached for good.
        var html = await index.Content.ReadAsStringAsync();
        var versioned = System.Text.RegularExpressions.Regex.Match(html, "src=\"(/ui/[0-9a-f]{12}/app\\.js)\"");
        Assert.True(versioned.Success, html);
        var immutable = await http.GetAsync(versioned.Groups[1].Value);
        Assert.Equal(HttpStatusCode.OK, immutable.StatusCode);
        Assert.Equal("public, max-age=31536000, immutable", immutable.Headers.CacheControl!.ToString());
        var older = await http.GetAsync("/ui/000000000000/app.js");
        Assert.Equal(HttpStatusCode.OK, older.StatusCode);
        Assert.True(older.Headers.CacheControl!.NoCache, "a file asked for under another release's version is revalidated");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/app.js");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("br"));
        var app = await http.SendAsync(request);
        Assert.Equal("br", app.Content.Headers.ContentEncoding.Single());
        Assert.Equal("text/javascript", app.Content.Headers.ContentType!.MediaType);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/ui/app.js");
        again.Headers.IfNoneMatch.Add(app.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await http.SendAsync(again)).StatusCode);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ui/../keel.db")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/ui/nothing.js")).StatusCode);

        // Every file the browser can load, gzip-compressed, as the bundle-size budget counts it.
        var total = 0L;
        foreach (var file in UiFiles())
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, "/ui/" + file);
            get.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            var response = await http.SendAsync(get);
            Assert.True(response.IsSuccessStatusCode, $"/ui/{file}: {(int)response.StatusCode}");
            total += (await response.Content.ReadAsByteArrayAsync()).Length;
        }

        Assert.True(total < 500 * 1024, $"the UI is {total / 1024} KB compressed");
    }

    private static IEnumerable<string> UiFiles()
    {
        var assembly = typeof(Keel.Ui.UiAssets).Assembly;
        var provider = Keel.Ui.UiAssets.Open();
        return Walk(provider, string.Empty);

        static IEnumerable<string> Walk(Microsoft.Extensions.FileProviders.IFileProvider provider, string dir)
        {
            foreach (var entry in provider.GetDirectoryContents(dir))
            {
                var path = dir.Length == 0 ? entry.Name : dir + "/" + entry.Name;
                if (entry.IsDirectory)
                {
                    foreach (var inner in Walk(provider, path))
                    {
                        yield return inner;
                    }
                }
                else if (!path.EndsWith("index.html", StringComparison.Ordinal))
                {
                    yield return path;
                }
            }
        }
    }
}
