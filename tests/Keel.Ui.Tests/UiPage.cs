using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit;

namespace Keel.Ui.Tests;

/// <summary>
/// A browser page on the test server: goes to views by their fragment, collects console and
/// script errors, and saves screenshots under <c>TestResults/ui-screenshots</c> (CI keeps them).
/// </summary>
public sealed class UiPage : IAsyncDisposable
{
    private readonly IBrowserContext _context;

    public UiPage(IPage page, IBrowserContext context)
    {
        Page = page;
        _context = context;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                Errors.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => Errors.Add($"script: {error}");
        page.Response += (_, response) =>
        {
            // The UI's own files must all load; an API 4xx is a page's business (it shows the error).
            if (response.Status >= 400 && response.Url.Contains("/ui/", StringComparison.Ordinal))
            {
                Errors.Add($"{response.Status} {response.Url}");
            }
        };
    }

    public IPage Page { get; }

    /// <summary>Console errors, script errors and failed UI files seen so far.</summary>
    public List<string> Errors { get; } = [];

    /// <summary>Goes to a view, e.g. <c>/experiments/1?sort=metrics.auc</c>, and waits until it has rendered (no loading spinner left).</summary>
    public async Task GoAsync(string fragment)
    {
        await Page.GotoAsync("/#" + fragment);
        await SettledAsync();
    }

    /// <summary>Waits until the page shows no loading indicator.</summary>
    public async Task SettledAsync()
    {
        await Page.Locator("main .page").First.WaitForAsync();
        await Assertions.Expect(Page.Locator("main .loading")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
    }

    /// <summary>The fragment of the current URL (what a person would bookmark).</summary>
    public string Fragment => new Uri(Page.Url).Fragment.TrimStart('#');

    public ILocator Main => Page.Locator("main");

    /// <summary>Saves a full-page screenshot as <c>TestResults/ui-screenshots/NAME.png</c>.</summary>
    public async Task ScreenshotAsync(string name)
    {
        var file = Path.Combine(ScreenshotDir, Regex.Replace(name, "[^A-Za-z0-9_.-]", "-") + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
    }

    /// <summary>Fails with the errors the page logged, if any.</summary>
    public void AssertNoErrors() => Assert.True(Errors.Count == 0, "The page logged errors:\n" + string.Join('\n', Errors));

    /// <summary>Fails when the page scrolls sideways (wide content must scroll inside its own box).</summary>
    /// <param name="message">What to say when it does, e.g. "the run page scrolls sideways at 390 px".</param>
    public async Task AssertFitsWidthAsync(string message) =>
        Assert.True(await Page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= innerWidth + 1"), message);

    public async ValueTask DisposeAsync() => await _context.CloseAsync();

    private static string ScreenshotDir { get; } = FindScreenshotDir();

    private static string FindScreenshotDir()
    {
        // The repository's TestResults (where .ci/run collects results), else beside the tests.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Keel.slnx")))
        {
            dir = dir.Parent;
        }

        var target = Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestResults", "ui-screenshots");
        Directory.CreateDirectory(target);
        return target;
    }
}
