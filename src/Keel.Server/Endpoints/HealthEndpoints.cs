
namespace Keel.Server.Endpoints;

/// <summary>
/// Liveness and version. The version is MLflow's, not Keel's: MLflow clients read <c>/version</c>
/// to decide which features the server has, and Keel speaks 2.12.2's protocol.
/// </summary>
internal static class HealthEndpoints
{
    public const string MlflowVersion = "2.12.2";

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(string.Empty).WithMetadata(Artifacts.ArtifactModes.AlwaysOn.Instance);
        group.MapGet("/health", static context => PlainAsync(context, "OK"));
        group.MapGet("/version", static context => PlainAsync(context, MlflowVersion));
        foreach (var prefix in new[] { "/api/2.0/keel", "/ajax-api/2.0/keel" })
        {
            // A string answer is written as text/plain; charset=utf-8, like the two above.
            group.MapGet(prefix + "/version", static () => KeelVersion)
                .WithTags("Server").WithSummary("Keel's version").WithDescription("Keel's own version, e.g. 0.1.0, as plain text (GET /version answers MLflow's).")
                .Produces<string>(StatusCodes.Status200OK, "text/plain");
        }
    }

    private static string KeelVersion { get; } =
        typeof(HealthEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static Task PlainAsync(HttpContext context, string text)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
