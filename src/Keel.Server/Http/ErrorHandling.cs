using System.Text.Json;
using Keel.Core.Errors;

namespace Keel.Server.Http;

/// <summary>
/// The one place where exceptions become HTTP answers, for every route: a <see cref="KeelException"/>
/// keeps its code and message (MLflow's <c>{"error_code", "message"}</c>; the Open Inference
/// Protocol's routes, marked <see cref="OpenInferenceErrors"/>, also get the spec's <c>"error"</c>);
/// anything else is a 500 that does not leak internals to the client but is logged for the operator.
/// Handlers throw; none writes an error body of its own.
/// </summary>
internal static class ErrorHandling
{
    // MLflow's messages quote names with ' ; the default encoder would write \u0027. Error text is
    // JSON-string content only (never HTML), so the relaxed encoder is safe here.
    private static readonly JsonWriterOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Headers that tie an answer to its request and outlive the reset of a failed answer.
    private static readonly string[] CorrelationHeaders = [RequestIds.Header, RequestIds.ModelVersionHeader];

    public static IApplicationBuilder UseKeelErrors(this IApplicationBuilder app) =>
        app.Use(static async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Keel.Core.Governance.ApprovalRequiredException e) when (!context.Response.HasStarted)
            {
                // Not an error: the change waits for another person's approval (202 with the request).
                context.Response.Clear();
                await WireIO.WriteAsync(
                    context,
                    new Keel.Core.Wire.ApprovalResponse { Approval = Keel.Core.Wire.EnvironmentWire.ToWire(e.Approval), Message = e.Message },
                    Keel.Core.Wire.EnvironmentJson.Default.ApprovalResponse,
                    StatusCodes.Status202Accepted).ConfigureAwait(false);
            }
            catch (KeelException e) when (!context.Response.HasStarted)
            {
                if (e.Code is ErrorCode.IoError or ErrorCode.ResourceExhausted)
                {
                    LogFault(context, e);
                }

                await WriteAsync(context, e.Code, e.Message).ConfigureAwait(false);
            }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                // Kestrel's own rejections, e.g. a body over the size cap (an IOException too, so first).
                var code = e.StatusCode == StatusCodes.Status413PayloadTooLarge ? ErrorCode.PayloadTooLarge : ErrorCode.InvalidParameterValue;
                await WriteAsync(context, code, e.Message).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException
                && e is not Microsoft.AspNetCore.Connections.ConnectionResetException
                && !context.RequestAborted.IsCancellationRequested
                && !context.Response.HasStarted)
            {
                // A store that did not translate its own I/O failure (e.g. the artifact files).
                var fault = StorageFaults.FromIOException(e, "The server's storage");
                LogFault(context, fault);
                await WriteAsync(context, fault.Code, fault.Message).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away; nobody is left to answer.
            }
            catch (Exception e) when (!context.Response.HasStarted)
            {
                context.RequestServices.GetRequiredService<ILoggerFactory>()
                    .CreateLogger("Keel.Server").LogError(e, "Unhandled error in {Method} {Path}", context.Request.Method, context.Request.Path);
                await WriteAsync(context, ErrorCode.InternalError, "Internal server error").ConfigureAwait(false);
            }
        });

    // Disk full, read-only and I/O errors are the operator's to fix: say so in the server log too.
    private static void LogFault(HttpContext context, KeelException fault) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Keel.Server")
            .LogError(fault.InnerException, "{Method} {Path} failed: {Message}", context.Request.Method, context.Request.Path, fault.Message);

    /// <summary>Writes an error answer in MLflow's shape (also for middleware that refuses a request itself).</summary>
    /// <param name="context">The request.</param>
    /// <param name="code">The error code (its HTTP status follows).</param>
    /// <param name="message">The message for the client; never internals or secrets.</param>
    /// <param name="retryAfterSeconds">The <c>Retry-After</c> of a 429; 1 when not given.</param>
    internal static async Task WriteAsync(HttpContext context, ErrorCode code, string message, int retryAfterSeconds = 1)
    {
        var response = context.Response;
        var kept = CorrelationHeaders.Select(h => (Name: h, Value: response.Headers[h])).Where(h => h.Value.Count > 0).ToList();
        response.Clear();
        foreach (var (name, value) in kept)
        {
            response.Headers[name] = value;
        }

        response.StatusCode = ErrorCodes.HttpStatus(code);
        response.ContentType = "application/json";
        if (code == ErrorCode.RequestLimitExceeded)
        {
            response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await using var json = new Utf8JsonWriter(response.BodyWriter, Relaxed);
        json.WriteStartObject();
        if (context.GetEndpoint()?.Metadata.GetMetadata<OpenInferenceErrors>() is not null)
        {
            json.WriteString("error", message);
        }

        json.WriteString("error_code", ErrorCodes.ToWire(code));
        json.WriteString("message", message);
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
