using GraphQL;
using GraphQL.Types;
using GraphQLParser.AST;
using Keel.Application;
using Keel.Core.Tracking;

namespace Keel.Server.Graphql;

/// <summary>
/// MLflow 2.12.2's GraphQL schema, answered from Keel's use cases: <c>mlflowGetExperiment</c>,
/// <c>mlflowGetRun</c> (with the run's experiment and model versions, which the UI's run page loads in
/// one request), <c>mlflowSearchModelVersions</c>, and the <c>test</c> / <c>testMutation</c> echo
/// fields MLflow keeps for checking the endpoint. The <c>@component</c> directive that newer MLflow
/// UIs put on their queries (for tracing) is accepted and has no effect.
/// </summary>
internal sealed class MlflowGraphqlSchema : Schema
{
    public MlflowGraphqlSchema()
    {
        Query = new QueryGraphType();
        Mutation = new MutationGraphType();
        Directives.Register(new Directive("component", DirectiveLocation.Query, DirectiveLocation.Mutation)
        {
            Arguments = new QueryArguments(new QueryArgument<NonNullGraphType<StringGraphType>> { Name = "name" }),
        });
    }

    private sealed class QueryGraphType : ObjectGraphType
    {
        public QueryGraphType()
        {
            Name = "Query";
            Field<GetExperimentResponseGraphType>("mlflowGetExperiment")
                .Argument<GetExperimentInputGraphType>("input")
                .ResolveAsync(async c => await Tracking(c).GetExperimentAsync(InputArgs.String(c, "experimentId"), c.CancellationToken));
            Field<GetRunResponseGraphType>("mlflowGetRun")
                .Argument<GetRunInputGraphType>("input")
                .ResolveAsync(async c => await Tracking(c).GetRunAsync(
                    InputArgs.String(c, "runId") is { Length: > 0 } id ? id : InputArgs.String(c, "runUuid"), c.CancellationToken));
            Field<SearchModelVersionsResponseGraphType>("mlflowSearchModelVersions")
                .Argument<SearchModelVersionsInputGraphType>("input")
                .ResolveAsync(async c =>
                {
                    var input = c.GetArgument<Dictionary<string, object?>?>("input") ?? [];
                    var orderBy = input.GetValueOrDefault("orderBy") is IEnumerable<object?> list ? list.OfType<string>().ToList() : null;
                    return await c.RequestServices!.GetRequiredService<RegistryService>().SearchModelVersionsAsync(
                        input.GetValueOrDefault("filter") as string,
                        orderBy,
                        input.GetValueOrDefault("maxResults") as long?,
                        input.GetValueOrDefault("pageToken") as string,
                        c.CancellationToken);
                });
            Field<EchoGraphType>("test")
                .Description("Simple echoing field")
                .Argument<StringGraphType>("inputString")
                .Resolve(c => new Echo(c.GetArgument<string?>("inputString")));
        }

        private static TrackingService Tracking(IResolveFieldContext context) => context.RequestServices!.GetRequiredService<TrackingService>();
    }

    private sealed class MutationGraphType : ObjectGraphType
    {
        public MutationGraphType()
        {
            Name = "Mutation";
            Field<EchoMutationGraphType>("testMutation")
                .Description("Simple echoing field")
                .Argument<StringGraphType>("inputString")
                .Resolve(c => new Echo(c.GetArgument<string?>("inputString")));
        }
    }
}

internal sealed record Echo(string? Output);

/// <summary>MLflow's <c>Test</c>: echoes its input.</summary>
internal sealed class EchoGraphType : ObjectGraphType<Echo>
{
    public EchoGraphType()
    {
        Name = "Test";
        Field<StringGraphType>("output").Description("Echoes the input string").Resolve(c => c.Source.Output);
    }
}

/// <summary>MLflow's <c>TestMutation</c>: echoes its input.</summary>
internal sealed class EchoMutationGraphType : ObjectGraphType<Echo>
{
    public EchoMutationGraphType()
    {
        Name = "TestMutation";
        Field<StringGraphType>("output").Description("Echoes the input string").Resolve(c => c.Source.Output);
    }
}
