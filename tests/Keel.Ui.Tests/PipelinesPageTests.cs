using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Keel.Ui.Tests;

/// <summary>Pipelines: the list, a pipeline's DAG, plan and Run now, and a run's states, gate report, trigger, outputs and logs.</summary>
[Collection(UiCollection.Name)]
public sealed class PipelinesPageTests(UiServer server)
{
    private static readonly string[] QuickstartSteps = ["validate", "train", "gate", "register", "canary", "alias"];

    [UiFact]
    public async Task The_list_shows_the_quickstart_pipeline_with_its_trigger_and_last_run()
    {
        await using var ui = await server.OpenAsync("/pipelines");
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("Pipelines");
        var row = ui.Main.Locator("table").First.Locator("tbody tr", new() { HasText = "quickstart-retrain" });
        await Expect(row).ToContainTextAsync("v1");
        await Expect(row).ToContainTextAsync("drift");
        await Expect(row).ToContainTextAsync("alert");
        await Expect(row.GetByTestId("last-run")).ToContainTextAsync("succeeded");
        await ui.ScreenshotAsync("pipelines");

        await row.GetByRole(AriaRole.Link, new() { Name = "quickstart-retrain" }).ClickAsync();
        await ui.SettledAsync();
        Assert.Equal("/pipelines/quickstart-retrain", ui.Fragment);
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task A_pipeline_draws_its_dag_and_plans_which_steps_would_run()
    {
        await using var ui = await server.OpenAsync("/pipelines/quickstart-retrain");
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("quickstart-retrain");
        var dag = ui.Page.GetByTestId("pipeline-dag");
        await Expect(dag).ToBeVisibleAsync();
        await Expect(dag.Locator("g[data-step]")).ToHaveCountAsync(QuickstartSteps.Length);
        foreach (var step in QuickstartSteps)
        {
            await Expect(dag.Locator($"g[data-step='{step}']")).ToBeVisibleAsync();
        }

        await Expect(dag.Locator("g[data-step='canary']")).ToContainTextAsync("deploy");
        // One arrow per dependency: register takes the model from train and the decision from gate.
        await Expect(dag.Locator("path.dag-edge")).ToHaveCountAsync(6);
        await Expect(dag.Locator("path[data-from='gate'][data-to='register']")).ToHaveCountAsync(1);
        await Expect(dag.Locator("path[data-from='train'][data-to='register']")).ToHaveCountAsync(1);
        // Steps are laid out in layers: each to the right of what it depends on.
        var x = new List<double>();
        foreach (var step in QuickstartSteps)
        {
            x.Add((await dag.Locator($"g[data-step='{step}']").BoundingBoxAsync())!.X);
        }

        Assert.Equal(x.Order(), x);
        await Expect(ui.Main.Locator("table").Last.Locator("tbody tr").First).ToContainTextAsync("succeeded");

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Plan" }).ClickAsync();
        var plan = ui.Page.GetByTestId("plan");
        await Expect(plan.Locator("tbody tr")).ToHaveCountAsync(QuickstartSteps.Length);
        await Expect(plan.Locator("tbody tr", new() { HasText = "train" }).First).ToContainTextAsync("cached");
        await Expect(plan.Locator("tbody tr", new() { HasText = "train" }).First).ToContainTextAsync("same key as run 1");
        await Expect(plan.Locator("tbody tr", new() { HasText = "'gate' steps always run" })).ToContainTextAsync("run");
        Assert.Equal("/pipelines/quickstart-retrain?plan=1", ui.Fragment);
        await ui.ScreenshotAsync("pipeline-plan");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task A_run_shows_each_step_state_the_gate_report_the_trigger_the_outputs_and_logs()
    {
        await using var ui = await server.OpenAsync("/pipelines/runs/1");
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync("quickstart-retrain #1");
        var dag = ui.Page.GetByTestId("pipeline-dag");
        await Expect(dag.Locator("g[data-state]")).ToHaveCountAsync(QuickstartSteps.Length);
        await Expect(dag.Locator("g[data-state='succeeded']")).ToHaveCountAsync(QuickstartSteps.Length);
        var steps = ui.Main.Locator("table").First.Locator("tbody tr");
        await Expect(steps).ToHaveCountAsync(QuickstartSteps.Length);
        await Expect(steps.Filter(new() { HasText = "canary" })).ToContainTextAsync("promoted");

        // The gate: champion 0.667 against challenger 0.947 on accuracy, McNemar significant.
        var gate = ui.Page.GetByTestId("gate-report");
        var accuracy = gate.Locator("table").First.Locator("tbody tr", new() { HasText = "accuracy" });
        await Expect(accuracy).ToContainTextAsync("passed");
        await Expect(accuracy).ToContainTextAsync("0.6667");
        await Expect(accuracy).ToContainTextAsync("0.9474");
        await Expect(accuracy).ToContainTextAsync("mcnemar_chi2");
        await Expect(accuracy).ToContainTextAsync("significant");
        await Expect(gate.Locator("table").First.Locator("tbody tr", new() { HasText = "auc" })).ToContainTextAsync("not significant");
        await Expect(gate).ToContainTextAsync("datasets:/breast-cancer-holdout/1");
        await Expect(gate).ToContainTextAsync("all 2 checks passed");

        // What triggered it, and what it produced.
        using var http = new HttpClient { BaseAddress = server.Address };
        using var run = JsonDocument.Parse(await http.GetStringAsync("/api/2.0/keel/pipelines/runs/1"));
        using var detail = JsonDocument.Parse(run.RootElement.GetProperty("run").GetProperty("trigger_detail").GetString()!);
        var alertId = detail.RootElement.GetProperty("alert_id").GetString();
        var alert = ui.Page.GetByTestId("trigger-alert");
        await Expect(alert).ToHaveAttributeAsync("href", $"#/alerts/{alertId}");
        await Expect(alert).ToContainTextAsync("quickstart-drift");
        var produced = ui.Page.GetByTestId("produced");
        await Expect(produced.GetByRole(AriaRole.Link, new() { Name = "breast-cancer v3" }).First).ToHaveAttributeAsync("href", "#/models/breast-cancer/versions/3");
        await Expect(produced.GetByTestId("produced-endpoint")).ToHaveAttributeAsync("href", "#/endpoints/breast-cancer");

        // Logs of one step.
        await ui.Page.GetByLabel("Log step").SelectOptionAsync("gate");
        await Expect(ui.Page.GetByTestId("step-logs")).ToContainTextAsync("decision: pass");
        await Expect(ui.Page.GetByTestId("step-logs")).Not.ToContainTextAsync("try 1: running validate");
        Assert.Equal("/pipelines/runs/1?step=gate", ui.Fragment);
        await Expect(dag.Locator("g.selected[data-step='gate']")).ToHaveCountAsync(1);
        await ui.ScreenshotAsync("pipeline-run");
        ui.AssertNoErrors();

        await alert.ClickAsync();
        Assert.Equal($"/alerts/{alertId}", ui.Fragment);
    }

    [UiFact]
    public async Task Run_now_asks_first_then_starts_a_run_that_the_run_page_follows_to_the_end()
    {
        // A pipeline of our own (noop steps): running the quickstart's would retrain and promote on the shared server.
        const string definition = """
            name: ui-test-noop
            description: Noop steps for the UI tests
            params: {greeting: hello}
            steps:
              - {name: first, type: noop, params: {value: '${params.greeting}'}}
              - {name: second, type: noop, inputs: {v: '${steps.first.value}'}}
              - {name: third, type: noop, after: [first]}
              - {name: last, type: noop, inputs: {a: '${steps.second.value}'}, after: [third]}
            """;
        using var http = new HttpClient { BaseAddress = server.Address };
        var applied = await http.PostAsJsonAsync("/api/2.0/keel/pipelines", new { definition });
        Assert.True(applied.IsSuccessStatusCode, await applied.Content.ReadAsStringAsync());
        var before = await RunsOfAsync(http, "ui-test-noop");

        await using var ui = await server.OpenAsync("/pipelines/ui-test-noop");
        var dag = ui.Page.GetByTestId("pipeline-dag");
        await Expect(dag.Locator("g[data-step]")).ToHaveCountAsync(4);
        // `after` edges are drawn dashed, edges that pass a value solid.
        await Expect(dag.Locator("path.dag-after[data-from='third'][data-to='last']")).ToHaveCountAsync(1);
        await Expect(dag.Locator("path.dag-edge:not(.dag-after)[data-from='second'][data-to='last']")).ToHaveCountAsync(1);

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        var dialog = ui.Page.GetByRole(AriaRole.Dialog, new() { Name = "Run ui-test-noop now?" });
        await Expect(dialog).ToBeVisibleAsync();
        // Cancel first: nothing starts.
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        Assert.Equal(before.Count, (await RunsOfAsync(http, "ui-test-noop")).Count);

        // The parameters start at the definition's defaults and can be changed for this run.
        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(dialog.GetByLabel("greeting")).ToHaveValueAsync("hello");
        await dialog.GetByLabel("greeting").FillAsync("bonjour");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Run now" }).ClickAsync();
        await Expect(ui.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/pipelines/runs/\\d+$"));
        var runId = long.Parse(ui.Fragment.Split('/').Last(), System.Globalization.CultureInfo.InvariantCulture);
        await Expect(ui.Page.Locator("h1")).ToHaveTextAsync($"ui-test-noop #{runId}");
        await Expect(ui.Page.GetByTestId("pipeline-dag").Locator("g[data-state='succeeded']")).ToHaveCountAsync(4, new() { Timeout = 30_000 });
        await Expect(ui.Page.GetByTestId("trigger")).ToContainTextAsync("manual");
        await Expect(ui.Page.GetByTestId("step-logs")).ToContainTextAsync("[first] try 1 succeeded");

        var after = await RunsOfAsync(http, "ui-test-noop");
        Assert.Equal(before.Count + 1, after.Count);
        Assert.Equal(runId, after[0].GetProperty("run_id").GetInt64());
        Assert.Equal("succeeded", after[0].GetProperty("state").GetString());
        Assert.Equal("manual", after[0].GetProperty("trigger_kind").GetString());
        Assert.Equal("bonjour", after[0].GetProperty("params").GetProperty("greeting").GetString());
        await Expect(ui.Main.Locator("table").First.Locator("tbody tr").First).ToContainTextAsync("value: bonjour");
        await ui.ScreenshotAsync("pipeline-run-now");

        // The plan now says why the default parameters would run the first step again.
        await ui.GoAsync("/pipelines/ui-test-noop?plan=1");
        var first = ui.Page.GetByTestId("plan").Locator("tbody tr").First;
        await Expect(first).ToContainTextAsync("run");
        await Expect(first).ToContainTextAsync($"changed since run {runId}");
        await Expect(first).ToContainTextAsync("bonjour");
        await Expect(ui.Main.Locator("table").Last.Locator("tbody tr").First).ToContainTextAsync("succeeded");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task A_failed_run_colours_the_failed_step_and_the_skipped_steps_below_it()
    {
        using var http = new HttpClient { BaseAddress = server.Address };
        var runId = await ApplyAndStartAsync(http, """
            name: ui-test-fail
            steps:
              - {name: ok, type: noop}
              - {name: boom, type: noop, params: {fail: deliberate failure}, after: [ok]}
              - {name: never, type: noop, after: [boom]}
            """);

        await using var ui = await server.OpenAsync($"/pipelines/runs/{runId}");
        var dag = ui.Page.GetByTestId("pipeline-dag");
        await Expect(dag.Locator("g[data-step='boom']")).ToHaveAttributeAsync("data-state", "failed");
        await Expect(dag.Locator("g[data-step='never']")).ToHaveAttributeAsync("data-state", "skipped");
        await Expect(dag.Locator("g[data-step='ok']")).ToHaveAttributeAsync("data-state", "succeeded");
        await Expect(ui.Main.Locator(".error-box")).ToContainTextAsync("step(s) boom failed");
        var steps = ui.Main.Locator("table").First.Locator("tbody tr");
        await Expect(steps.Nth(1)).ToContainTextAsync("deliberate failure");
        await Expect(steps.Nth(2)).ToContainTextAsync("upstream step 'boom' failed");
        await Expect(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" })).ToHaveCountAsync(0);
        await ui.ScreenshotAsync("pipeline-run-failed");
        ui.AssertNoErrors();
    }

    [UiFact]
    public async Task Cancel_asks_first_then_ends_a_running_run()
    {
        using var http = new HttpClient { BaseAddress = server.Address };
        var runId = await ApplyAndStartAsync(http, """
            name: ui-test-slow
            steps:
              - {name: wait, type: command, cache: false, params: {command: [sleep, '120']}}
              - {name: then, type: noop, after: [wait]}
            """);

        await using var ui = await server.OpenAsync($"/pipelines/runs/{runId}");
        var dag = ui.Page.GetByTestId("pipeline-dag");
        // The page follows the run: the step moves to running without a reload.
        await Expect(dag.Locator("g[data-step='wait']")).ToHaveAttributeAsync("data-state", "running", new() { Timeout = 30_000 });
        await Expect(dag.Locator("g[data-step='then']")).ToHaveAttributeAsync("data-state", "queued");
        await ui.ScreenshotAsync("pipeline-run-running");

        await ui.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
        var dialog = ui.Page.GetByRole(AriaRole.Dialog, new() { Name = $"Cancel run #{runId}?" });
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel run" }).ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(dag.Locator("g[data-step='wait']")).ToHaveAttributeAsync("data-state", "cancelled");
        await Expect(ui.Main.Locator(".run-state")).ToContainTextAsync("cancelled");
        await Expect(ui.Page.GetByRole(AriaRole.Button, new() { Name = "Cancel run" })).ToHaveCountAsync(0);

        using var doc = JsonDocument.Parse(await http.GetStringAsync($"/api/2.0/keel/pipelines/runs/{runId}"));
        Assert.Equal("cancelled", doc.RootElement.GetProperty("run").GetProperty("state").GetString());
        ui.AssertNoErrors();
    }

    private static async Task<long> ApplyAndStartAsync(HttpClient http, string definition)
    {
        var applied = await http.PostAsJsonAsync("/api/2.0/keel/pipelines", new { definition });
        Assert.True(applied.IsSuccessStatusCode, await applied.Content.ReadAsStringAsync());
        var name = definition.Split('\n')[0].Split(':')[1].Trim();
        var started = await http.PostAsJsonAsync($"/api/2.0/keel/pipelines/{name}/runs", new { });
        Assert.True(started.IsSuccessStatusCode, await started.Content.ReadAsStringAsync());
        using var doc = JsonDocument.Parse(await started.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("run").GetProperty("run_id").GetInt64();
    }

    private static async Task<List<JsonElement>> RunsOfAsync(HttpClient http, string pipeline)
    {
        using var doc = JsonDocument.Parse(await http.GetStringAsync($"/api/2.0/keel/pipelines/runs?pipeline={pipeline}"));
        return [.. doc.RootElement.GetProperty("runs").EnumerateArray().Select(r => r.Clone())];
    }
}
