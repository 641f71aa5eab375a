using Keel.Application.Jobs;
using Keel.Application.Pipelines;
using Keel.Cli.Infrastructure;
using Keel.Client;
using Keel.Core.Wire;
using Keel.Pipelines;
using Keel.Pipelines.Hosting;

namespace Keel.Cli.Commands.Pipelines;

/// <summary>
/// The pipelines API a command talks to: the server's over HTTP, or, on the embedded store, a
/// <see cref="PipelineService"/> over the same stores with the built-in step types, whose steps this
/// process runs while a command waits (no server runs them otherwise; a <c>keel worker</c> on the data
/// directory can).
/// </summary>
internal sealed class PipelineSession
{
    private PipelineSession(IPipelineApi api, PipelineRunner? runner, StoreSession session)
    {
        Api = api;
        Runner = runner;
        Session = session;
    }

    public IPipelineApi Api { get; }

    /// <summary>The in-process runner on the embedded store; null when a server runs the steps.</summary>
    public PipelineRunner? Runner { get; }

    public StoreSession Session { get; }

    public bool Remote => Runner is null;

    public static PipelineSession Open(StoreSession session, JobSignal? signal = null)
    {
        if (session.Store is KeelClient client)
        {
            return new PipelineSession(client, null, session);
        }

        var runner = CreateRunner(session, signal);
        return new PipelineSession(new PipelineService(runner, () => Environment.UserName), runner, session);
    }

    /// <summary>A runner over the session's stores with every built-in step type (deploy steps need a server).</summary>
    public static PipelineRunner CreateRunner(StoreSession session, JobSignal? signal = null)
    {
        var services = new PipelineServices(
            session.Tracking, session.Registry, session.Datasets, session.Artifacts, session.Models(), session.DataWorkflow(), null, Path.Combine(session.DataDir, "pipelines", "cache"));
        return new PipelineRunner(
            session.PipelineStore, PipelineComposition.Catalog(services), session.Jobs,
            new PipelineInputResolver(session.Datasets, session.RegistryStore, session.Store),
            session.Tracking,
            new PipelineOptions(Path.Combine(session.DataDir, "pipelines", "work"), PipelineHostOptions.FromEnvironment().StepTimeout),
            signal, audit: session.Audit);
    }
}
