using System.CommandLine;
using Keel.Cli.Infrastructure;

namespace Keel.Cli.Commands.Endpoints;

/// <summary><c>keel endpoints create NAME --model URI [--env ENV] [--sensitive-column COLUMN=mask|hash|drop ...] [--feature-service S | --features v:f,...] [--full-feature-names]</c></summary>
internal static class CreateCommand
{
    public static Command Create()
    {
        var server = new ServerOptions();
        var name = new Argument<string>("name") { Description = "Endpoint name; the V2 model name." };
        var model = new Option<string>("--model") { Description = "Model URI: models:/NAME/VERSION, models:/NAME@ALIAS or runs:/RUN/PATH.", Required = true };
        var env = new Option<string?>("--env") { Description = "Environment: dev (default), staging or prod." };
        var sensitive = new Option<string[]>("--sensitive-column")
        {
            Description = "COLUMN=mask|hash|drop: what the prediction log keeps of an input column (the model still gets the real value). Repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };
        var service = new Option<string?>("--feature-service") { Description = "Add this feature service's features to each request row, read online by the entity keys the row carries." };
        var features = new Option<string?>("--features") { Description = "Add these features (view:feature, comma-separated) to each request row, read online by entity key." };
        var fullNames = new Option<bool>("--full-feature-names") { Description = "Name the added columns view__feature (as the training set was built with --full-feature-names)." };
        var command = new Command("create", "Create an endpoint serving one model.") { name, model, env, sensitive, service, features, fullNames };
        server.AddTo(command);
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            using var client = await server.OpenAsync(result, cancellationToken).ConfigureAwait(false);
            var columns = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var item in result.GetValue(sensitive) ?? [])
            {
                var eq = item.LastIndexOf('=');
                if (eq <= 0)
                {
                    throw Keel.Core.Errors.KeelException.InvalidParameter($"Invalid --sensitive-column '{item}': expected COLUMN=mask, COLUMN=hash or COLUMN=drop.");
                }

                columns[item[..eq]] = item[(eq + 1)..];
            }

            var request = new Keel.Core.Wire.CreateEndpointRequest
            {
                Name = result.GetValue(name),
                ModelUri = result.GetValue(model),
                Environment = result.GetValue(env),
                SensitiveColumns = columns.Count > 0 ? columns : null,
                Features = result.GetValue(service) is null && result.GetValue(features) is null
                    ? null
                    : new Keel.Core.Serving.EndpointFeatures(
                        result.GetValue(service),
                        result.GetValue(features)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                        result.GetValue(fullNames)),
            };
            var created = await client.CreateEndpointAsync(request, cancellationToken).ConfigureAwait(false);
            return EndpointDisplay.Print(created, result.GetValue(server.Output));
        });
        return command;
    }
}
