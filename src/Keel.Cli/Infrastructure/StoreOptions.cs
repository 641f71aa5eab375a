using System.CommandLine;

namespace Keel.Cli.Infrastructure;

/// <summary>The options every data command shares: where the data is and how to print it.</summary>
internal sealed class StoreOptions
{
    public Option<string?> TrackingUri { get; } = new("--tracking-uri")
    {
        Description = "Tracking server URI (http[s]://...) or backend store URI. Default: KEEL_TRACKING_URI, then MLFLOW_TRACKING_URI, else the embedded store.",
    };

    public Option<string?> DataDir { get; } = new("--data-dir")
    {
        Description = "Data directory of the embedded store. Default: KEEL_DATA_DIR, else ~/.keel.",
    };

    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "Output format: table or json (MLflow's wire JSON).",
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    public void AddTo(Command command)
    {
        command.Add(TrackingUri);
        command.Add(DataDir);
        command.Add(Output);
    }

    public Task<StoreSession> OpenAsync(ParseResult result, CancellationToken cancellationToken = default) =>
        StoreSession.OpenAsync(result.GetValue(TrackingUri), result.GetValue(DataDir), cancellationToken: cancellationToken);
}
