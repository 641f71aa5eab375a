
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
        group.MapGet("/api/2.0/keel/version", static context => PlainAsync(context, KeelVersion));
    }

    private static string KeelVersion { get; } =
        typeof(HealthEndpoints).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static Task PlainAsync(HttpContext context, string text)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(text, context.RequestAborted);
    }
}
