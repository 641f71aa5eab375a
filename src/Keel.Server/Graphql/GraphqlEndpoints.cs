using System.Collections;
using System.Text.Json;
using GraphQL;
using GraphQL.Execution;
using Keel.Core.Errors;
using Keel.Server.Http;

namespace Keel.Server.Graphql;

/// <summary>
/// <c>/graphql</c> as MLflow serves it: a POSTed <c>{"query", "variables", "operationName"}</c>
/// (or the same as GET query arguments) answered with <c>{"data": ..., "errors": [messages] | null}</c>,
/// always 200. MLflow's error list holds message strings, not the spec's error objects; MLflow's UI
/// and clients read it so. Parsing, validation and execution are GraphQL.NET's.
/// </summary>
internal static class GraphqlEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var schema = new MlflowGraphqlSchema();
        var executer = new DocumentExecuter();
        foreach (var path in new[] { "/graphql", "/ajax-api/graphql" })
        {
            app.MapMethods(path, [HttpMethods.Get, HttpMethods.Post], context => HandleAsync(context, schema, executer));
        }
    }

    private static async Task HandleAsync(HttpContext context, MlflowGraphqlSchema schema, DocumentExecuter executer)
    {
        var request = HttpMethods.IsGet(context.Request.Method)
            ? FromQuery(context)
            : await WireIO.ReadObjectAsync(context, GraphqlRequest.Bind);
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            throw KeelException.MissingParameter("query");
        }

        var result = await executer.ExecuteAsync(new ExecutionOptions
        {
            Schema = schema,
            Query = request.Query,
            Variables = request.Variables,
            OperationName = request.OperationName,
            RequestServices = context.RequestServices,
            CancellationToken = context.RequestAborted,
            UnhandledExceptionDelegate = ExplainAsync,
        });

        context.Response.ContentType = "application/json";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WritePropertyName("data");
        WriteValue(json, result.Executed && result.Data is ExecutionNode node ? node.ToValue() : null);
        json.WritePropertyName("errors");
        if (result.Errors is { Count: > 0 } errors)
        {
            json.WriteStartArray();
            foreach (var error in errors)
            {
                json.WriteStringValue(error.Message);
            }

            json.WriteEndArray();
        }
        else
        {
            json.WriteNullValue();
        }

        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    /// <summary>A resolver's Keel error is the client's to read (e.g. "Run with id=x not found"); anything else is logged and stays generic.</summary>
    private static Task ExplainAsync(UnhandledExceptionContext context)
    {
        if (context.OriginalException is KeelException keel)
        {
            context.ErrorMessage = keel.Message;
        }
        else
        {
            context.Context?.RequestServices?.GetService<ILoggerFactory>()?.CreateLogger("Keel.Server.Graphql")
                .LogError(context.OriginalException, "GraphQL resolver failed");
        }

        return Task.CompletedTask;
    }

    private static GraphqlRequest FromQuery(HttpContext context)
    {
        var variables = QueryArgs.String(context, "variables");
        return new GraphqlRequest(
            QueryArgs.String(context, "query"),
            string.IsNullOrEmpty(variables) ? null : GraphqlRequest.ParseVariables(variables),
            QueryArgs.String(context, "operationName"));
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case double d:
                json.WriteNumberValue(d);
                break;
            case float f:
                json.WriteNumberValue(f);
                break;
            case int i:
                json.WriteNumberValue(i);
                break;
            case long l:
                json.WriteNumberValue(l);
                break;
            case decimal m:
                json.WriteNumberValue(m);
                break;
            case IDictionary<string, object?> map:
                json.WriteStartObject();
                foreach (var (key, item) in map)
                {
                    json.WritePropertyName(key);
                    WriteValue(json, item);
                }

                json.WriteEndObject();
                break;
            case IEnumerable list:
                json.WriteStartArray();
                foreach (var item in list)
                {
                    WriteValue(json, item);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
        }
    }
}
