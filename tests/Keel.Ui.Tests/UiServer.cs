using System.Diagnostics;
using Keel.Client;
using Keel.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;

namespace Keel.Ui.Tests;

/// <summary>
/// One real server for the whole UI suite: the real <c>keel quickstart</c> fills a data dir (the
/// closed loop: experiments, tuned runs, three model versions, an endpoint with a promoted canary,
/// datasets, drift, an alert, pipeline runs), then an in-process <c>keel server</c> serves it and
/// Chromium opens pages on it.
/// </summary>
/// <remarks>
/// <c>KEEL_UI_TEST_DATA</c> names a data dir a quickstart already filled; the suite works on a copy
/// of it, which saves the quickstart's two minutes while a page is being written.
/// </remarks>
public sealed class UiServer : IAsyncLifetime
{
    private WebApplication? _app;
    private IPlaywright? _playwright;
    private string? _dataDir;

    public IBrowser Browser { get; private set; } = null!;

    public Uri Address { get; private set; } = null!;

    public KeelClient Client { get; private set; } = null!;

    /// <summary>What the quickstart printed (empty when the data dir was given).</summary>
    public string QuickstartOutput { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        if (Chromium.SkipReason is not null)
        {
            return; // every UiFact is skipped with the reason
        }

        _dataDir = Directory.CreateTempSubdirectory("keel-ui-tests-").FullName;
        var prepared = Environment.GetEnvironmentVariable("KEEL_UI_TEST_DATA");
        if (!string.IsNullOrEmpty(prepared))
        {
            CopyDirectory(prepared, _dataDir);
        }
        else
        {
            QuickstartOutput = await RunQuickstartAsync(_dataDir);
        }

        // The quickstart's server summarised its traffic in one-second buckets; serve them as such.
        _app = KeelServer.Build(new KeelServerOptions(Port: 0, DataDir: _dataDir)
        {
            Monitoring = new Keel.Application.Monitoring.MonitoringOptions { BucketSeconds = 1, Grace = TimeSpan.FromSeconds(1) },
        });
        await _app.StartAsync();
        Address = new Uri(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        Client = new KeelClient(Address);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium.Path,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
    }

    /// <summary>
    /// A new page in a fresh browser context (1280×800 unless told), with the server as its base
    /// URL. Everything the page logs as an error, and every script error, is collected in
    /// <see cref="UiPage.Errors"/>.
    /// </summary>
    public async Task<UiPage> OpenAsync(string fragment = "/", int width = 1280, int height = 800, ColorScheme colorScheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString(),
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = colorScheme,
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        var ui = new UiPage(page, context);
        await ui.GoAsync(fragment);
        return ui;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }

        _playwright?.Dispose();
        Client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_dataDir is not null)
        {
            try
            {
                Directory.Delete(_dataDir, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the OS's temp cleanup takes it.
            }
        }
    }

    private static async Task<string> RunQuickstartAsync(string dataDir)
    {
        var keel = Path.Combine(AppContext.BaseDirectory, "keel.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { keel, "quickstart", "--data-dir", dataDir, "--trials", "9" })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment.Remove("KEEL_TRACKING_URI");
        psi.Environment.Remove("MLFLOW_TRACKING_URI");
        psi.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"keel quickstart failed ({process.ExitCode}):\n{await stderr}\n{await stdout}");
        }

        return await stdout;
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)), overwrite: true);
        }
    }
}

/// <summary>Every UI test class shares the one server and browser.</summary>
[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<UiServer>
{
    public const string Name = "ui";
}
