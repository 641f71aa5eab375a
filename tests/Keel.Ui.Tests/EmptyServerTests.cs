using Keel.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Keel.Ui.Tests;

/// <summary>A server with nothing in it: every page says what to do next, with the command that does it.</summary>
[Collection(UiCollection.Name)]
public sealed class EmptyServerTests(UiServer server)
{
    [UiFact]
    public async Task Each_page_of_an_empty_server_says_what_to_do_next()
    {
        var dir = Directory.CreateTempSubdirectory("keel-ui-empty-").FullName;
        var app = KeelServer.Build(new KeelServerOptions(Port: 0, DataDir: dir));
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var context = await server.Browser.NewContextAsync(new() { BaseURL = address, ViewportSize = new() { Width = 1280, Height = 800 } });
            context.SetDefaultTimeout(15_000);
            await using var ui = new UiPage(await context.NewPageAsync(), context);
            foreach (var (fragment, title, command) in new[]
            {
                ("/", "Nothing here yet", "keel quickstart"),
                ("/models", "No registered model yet", "keel"),
                ("/endpoints", "No endpoint yet", "keel endpoints"),
                ("/datasets", "No dataset yet", "keel data"),
                ("/pipelines", "No pipeline yet", "keel pipelines init"),
                ("/alerts", "No alert has fired", "keel alerts"),
            })
            {
                await ui.GoAsync(fragment);
                var empty = ui.Page.GetByTestId("empty").First;
                await Expect(empty).ToContainTextAsync(title);
                await Expect(empty.Locator(".command")).ToContainTextAsync(command);
            }

            await ui.ScreenshotAsync("empty-overview");
            ui.AssertNoErrors();
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open; the OS's temp cleanup takes it.
            }
        }
    }
}
