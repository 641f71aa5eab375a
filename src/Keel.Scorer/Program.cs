using System.CommandLine;
using Keel.Core.Errors;
using Keel.ML;
using Keel.Scorer;

var model = new Option<string>("--model") { Description = "Model directory (holds MLmodel).", Required = true };
var name = new Option<string>("--name") { Description = "Model name in V2 routes.", DefaultValueFactory = _ => "model" };
var version = new Option<string>("--model-version") { Description = "Version reported in answers (model_version, x-keel-model-version).", DefaultValueFactory = _ => "1" };
var host = new Option<string>("--host") { Description = "Address to listen on (0.0.0.0 in a container).", DefaultValueFactory = _ => "127.0.0.1" };
var port = new Option<int>("--port", "-p") { Description = "Port to listen on.", DefaultValueFactory = _ => 8080 };
var root = new RootCommand("Keel standalone scorer: one model over the Open Inference Protocol (V2) and MLflow's /invocations, offline.")
{
    model, name, version, host, port,
};
root.SetAction(async (result, cancellationToken) =>
{
    var options = new ScorerOptions(Path.GetFullPath(result.GetValue(model)!), result.GetValue(name)!, result.GetValue(version)!, result.GetValue(host)!, result.GetValue(port));
    if (options.Port is < 1 or > 65535)
    {
        await Console.Error.WriteLineAsync($"error: INVALID_PARAMETER_VALUE: --port must be from 1 to 65535, got {options.Port}.").ConfigureAwait(false);
        return 2;
    }

    if (options.Host is not ("0.0.0.0" or "*" or "localhost") && !System.Net.IPAddress.TryParse(options.Host, out _))
    {
        await Console.Error.WriteLineAsync($"error: INVALID_PARAMETER_VALUE: --host must be an IP address, localhost or 0.0.0.0, got '{options.Host}'.").ConfigureAwait(false);
        return 2;
    }

    IModel loaded;
    try
    {
        loaded = ModelLoader.Load(options.ModelDirectory);
    }
    catch (Exception e) when (e is KeelException or IOException or UnauthorizedAccessException)
    {
        await Console.Error.WriteLineAsync($"error: the model at {options.ModelDirectory} could not be loaded: {e.Message}").ConfigureAwait(false);
        return 1;
    }

    using (loaded)
    {
        await using var app = ScorerApp.Build(options, new ScoredModel(options.Name, options.Version, loaded));
        await app.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    return 0;
});
return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
