using System.Text.Json;
using System.Text.Json.Serialization;
using Keel.Core.Wire;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Keel.Server.Http;

/// <summary>
/// The OpenAPI document of Keel's own API (<c>/api/2.0/keel/...</c>), generated from the mapped
/// endpoints and their metadata and served at <c>/openapi/keel.json</c>. A copy is committed at
/// docs/openapi/keel.json and a test diffs it against a running server, so every change to the API
/// is a reviewed diff. MLflow's routes are MLflow's contract and are left out.
/// </summary>
internal static class KeelOpenApi
{
    public const string DocumentName = "keel";

    public const string Route = "/openapi/{documentName}.json";

    public const string Prefix = "/api/2.0/keel/";

    private const string Json = "application/json";

    public static IServiceCollection AddKeelOpenApi(this IServiceCollection services)
    {
        // Schemas are generated through the HTTP JSON options; give them the wire's settings (see
        // WireJson and ServingJson) so the document names fields and numbers exactly as the handlers
        // write them. Nothing else serializes through these options: handlers use the wire contexts.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ServingJson.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, WireJson.Default);
            o.SerializerOptions.TypeInfoResolverChain.Insert(2, JobJson.Default);
        });
        services.AddOpenApi(DocumentName, o =>
        {
            o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
            o.ShouldInclude = d => ("/" + d.RelativePath).StartsWith(Prefix, StringComparison.Ordinal);
            o.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Keel API",
                    Version = "2.0",
                    Description = "Keel's own API beside MLflow's: serving endpoints and rollouts, the job queue, the registry audit trail, the version. "
                        + "Every route is also served under /ajax-api/2.0/keel/ (the web UI's prefix). Errors are MLflow-style JSON: "
                        + "{\"error_code\": \"...\", \"message\": \"...\"}; a state-changing call records the X-Keel-User header as its actor. "
                        + "Every POST, PUT, PATCH and DELETE must carry Content-Type: application/json (send {} when there is nothing to say), "
                        + "so a page on another site cannot act through a user's browser; Host and Origin are checked too (docs/operations.md).",
                };

                // The server URL is whatever host the document was fetched from; a committed copy must not depend on it.
                document.Servers = [];

                // After every schema is complete: nullable references are only wrapped late.
                foreach (var schema in document.Components?.Schemas?.Values ?? [])
                {
                    if (schema is OpenApiSchema concrete)
                    {
                        OmittedWhenNull(concrete);
                    }
                }

                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>
    /// A null property is left out of the JSON (WhenWritingNull), so a record's nullable
    /// constructor parameter is not a required property of the answer.
    /// </summary>
    private static void OmittedWhenNull(OpenApiSchema schema)
    {
        if (schema.Required is not { Count: > 0 } required || schema.Properties is not { } properties)
        {
            return;
        }

        foreach (var name in required.ToList())
        {
            if (properties.TryGetValue(name, out var property) && IsNullable(property))
            {
                required.Remove(name);
            }
        }
    }

    private static bool IsNullable(IOpenApiSchema schema) =>
        (schema.Type is { } type && type.HasFlag(JsonSchemaType.Null))
        || (schema.OneOf?.Any(s => s.Type == JsonSchemaType.Null) ?? false);

    public static IEndpointConventionBuilder MapKeelOpenApi(this IEndpointRouteBuilder app) => app.MapOpenApi(Route);

    /// <summary>Documents an operation: what it does, its JSON body and answer, and the errors it can answer with.</summary>
    public static RouteHandlerBuilder Describe<TResponse>(this RouteHandlerBuilder builder, string summary, string description, params int[] errors)
    {
        builder.WithSummary(summary).WithDescription(description).Produces<TResponse>(StatusCodes.Status200OK, Json);
        foreach (var status in errors)
        {
            builder.Produces<ErrorDto>(status, Json);
        }

        return builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var (status, response) in operation.Responses ?? [])
            {
                if (response is OpenApiResponse concrete && ErrorMeaning(status) is { } meaning)
                {
                    concrete.Description = meaning;
                }
            }

            return Task.CompletedTask;
        });
    }

    /// <summary>Describes a path parameter of every operation of a group.</summary>
    public static TBuilder PathParameter<TBuilder>(this TBuilder builder, string name, string description)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in operation.Parameters ?? [])
            {
                if (parameter is OpenApiParameter { In: ParameterLocation.Path } concrete && concrete.Name == name)
                {
                    concrete.Description = description;
                }
            }

            return Task.CompletedTask;
        });

    private static string? ErrorMeaning(string status) => status switch
    {
        "400" => "INVALID_PARAMETER_VALUE (or BAD_REQUEST): a field is missing, malformed or breaks a rule; the message names it. Nothing was changed.",
        "404" => "RESOURCE_DOES_NOT_EXIST: no endpoint, model, version or job of that name or id.",
        "409" => "RESOURCE_CONFLICT: the state forbids the change (a rollout is running, or none is; a job's lease is no longer held, or it is finished); the message says which.",
        _ => null,
    };

    /// <summary>Documents the JSON request body.</summary>
    public static RouteHandlerBuilder Body<TRequest>(this RouteHandlerBuilder builder, bool optional = false)
        where TRequest : notnull =>
        builder.Accepts<TRequest>(optional, Json);

    /// <summary>
    /// Documents a query parameter. The handlers read the query themselves (to answer MLflow-style
    /// errors), so the generator cannot see the parameters; this adds them to the operation.
    /// </summary>
    public static RouteHandlerBuilder Query(this RouteHandlerBuilder builder, string name, string description, JsonSchemaType type = JsonSchemaType.String, bool required = false) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Query,
                Required = required,
                Description = description,
                Schema = new OpenApiSchema { Type = type },
            });
            return Task.CompletedTask;
        });
}
