using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Keel.Cli.Commands.Endpoints;
using Keel.Cli.Infrastructure;
using Keel.Client;
using Keel.Core.Errors;
using Keel.Core.Serving;
using Keel.Core.Wire;
using Keel.ML.Batch;
using Keel.Hosting;
using Keel.Server;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Keel.Cli.Commands.Quickstart;

/// <summary>
/// The quickstart's serving stage: a real Keel server on a free loopback port over the same data
/// dir serves the baseline on an endpoint, a canary rollout brings in the tuned model step by step
/// while real requests flow (rows of the sample data, one per request, through MLflow's
/// /invocations format), and the controller promotes it or rolls it back on its own.
/// </summary>
internal static class QuickstartServe
{
    public const string EndpointName = "breast-cancer";

    /// <summary>
    /// The canary's limits in the demo: the defaults, except that a p99 over 40 requests on a shared
    /// laptop (or a busy CI machine) measures the scheduler more than the model, so latency may
    /// exceed the champion's by a quarter of a second before it counts. Error rate and prediction
    /// divergence stay as strict as in production.
    /// </summary>
    internal static RolloutPolicy DemoPolicy { get; } = RolloutPolicy.Default with { P99LatencySlackMs = DemoLatencySlackMs };

    /// <summary>See <see cref="DemoPolicy"/>; the retraining pipeline's canary uses the same slack.</summary>
    internal const double DemoLatencySlackMs = 250;

    public static async Task<EndpointResponse> RunAsync(string dataDir, string baselineUri, string challengerUri, string dataCsv, string label, Func<KeelClient, HttpClient, EndpointResponse, Task>? afterRollout, CancellationToken cancellationToken)
    {
        // One-second monitoring buckets, so the monitoring stage shows windows within seconds.
        var app = KeelServer.Build(new KeelServerOptions(Port: 0, DataDir: dataDir)
        {
            Monitoring = new Keel.Application.Monitoring.MonitoringOptions { BucketSeconds = 1, Grace = TimeSpan.FromSeconds(1) },
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var client = new KeelClient(address);
            try
            {
                // A demo endpoint: each quickstart run starts it afresh from the baseline.
                await client.DeleteEndpointAsync(EndpointName, cancellationToken).ConfigureAwait(false);
            }
            catch (KeelException e) when (e.Code is ErrorCode.ResourceDoesNotExist or ErrorCode.NotFound)
            {
            }

            await client.CreateEndpointAsync(EndpointName, baselineUri, "dev", cancellationToken: cancellationToken).ConfigureAwait(false);
            AnsiConsole.MarkupLineInterpolated($"Endpoint [bold]{EndpointName}[/] (dev) serves {baselineUri} at {address}endpoints/{EndpointName}/invocations");

            var requests = Requests(dataCsv, label);
            using var http = new HttpClient { BaseAddress = address };
            await SendAsync(http, requests, 0, 100, cancellationToken).ConfigureAwait(false);

            await client.StartRolloutAsync(EndpointName, challengerUri, [10, 50, 100], holdRequests: 40, policy: DemoPolicy, cancellationToken: cancellationToken).ConfigureAwait(false);
            var final = await AnsiConsole.Status().StartAsync($"Canary of {challengerUri}: 10% → 50% → 100%", async status =>
            {
                var sent = 100;
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
                while (true)
                {
                    var now = await client.GetEndpointAsync(EndpointName, cancellationToken).ConfigureAwait(false);
                    var rollout = now.Endpoint!.Rollout;
                    if (rollout is null || rollout.State != RolloutState.Running || DateTime.UtcNow > deadline)
                    {
                        return now;
                    }

                    status.Status($"Canary of {challengerUri}: step {rollout.StepIndex + 1} of {rollout.Steps.Count} ({rollout.Steps[rollout.StepIndex]}% of traffic), {sent:N0} requests sent");
                    await SendAsync(http, requests, sent, 40, cancellationToken).ConfigureAwait(false);
                    sent += 40;
                }
            }).ConfigureAwait(false);

            EndpointDisplay.Print(final, OutputFormat.Table);
            if (afterRollout is not null)
            {
                await afterRollout(client, http, final).ConfigureAwait(false);
            }

            return final;
        }
        finally
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One /invocations body (dataframe_split, one row) per data row, label column left out.</summary>
    internal static List<string> Requests(string csv, string label)
    {
        using var reader = new StreamReader(csv);
        var header = CsvFields.Split(reader.ReadLine() ?? string.Empty);
        var keep = Enumerable.Range(0, header.Count).Where(i => header[i] != label).ToArray();
        var columns = string.Join(',', keep.Select(i => "\"" + header[i] + "\""));
        var bodies = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            var fields = CsvFields.Split(line);
            var values = string.Join(',', keep.Select(i => double.Parse(fields[i], CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture)));
            bodies.Add($"{{\"dataframe_split\": {{\"columns\": [{columns}], \"data\": [[{values}]]}}}}");
        }

        return bodies;
    }

    // Eight at a time, like a handful of concurrent callers.
    internal static Task SendAsync(HttpClient http, List<string> bodies, int start, int count, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(start, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            using var content = new StringContent(bodies[i % bodies.Count], Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await http.PostAsync(new Uri($"/endpoints/{EndpointName}/invocations", UriKind.Relative), content, ct).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
        });
}
