using System.Buffers;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Keel.Bench;

/// <summary>
/// The baseline for the serving figures: a bare ASP.NET Core endpoint on the same route that
/// reads the JSON body and echoes it back, run as its own process like keel server.
/// </summary>
internal static class EchoServer
{
    public static async Task<int> RunAsync(string[] args)
    {
        var port = int.Parse(args[Array.IndexOf(args, "--port") + 1], CultureInfo.InvariantCulture);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        app.MapGet("/health", () => "OK");
        app.MapPost("/v2/models/{name}/infer", static async context =>
        {
            var reader = context.Request.BodyReader;
            while (true)
            {
                var read = await reader.ReadAsync(context.RequestAborted);
                if (read.IsCompleted)
                {
                    context.Response.ContentType = "application/json";
                    context.Response.ContentLength = read.Buffer.Length;
                    foreach (var segment in read.Buffer)
                    {
                        context.Response.BodyWriter.Write(segment.Span);
                    }

                    reader.AdvanceTo(read.Buffer.End);
                    await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
                    return;
                }

                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
            }
        });
        await app.RunAsync();
        return 0;
    }
}
