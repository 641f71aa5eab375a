using Keel.Core.Errors;
using Microsoft.Extensions.Primitives;

namespace Keel.Server.Http;

/// <summary>
/// The protections every answer gets, so that a web page the user happens to open cannot drive the
/// server (promote, roll back, delete) through the browser:
/// <list type="bullet">
/// <item>the Host header must name this server (<see cref="HostFilter"/>; /health and /version are exempt for load balancers);</item>
/// <item>CORS is closed unless origins are allowed; a state-changing request from another origin is refused;</item>
/// <item>a state-changing request (POST, PUT, PATCH, DELETE) must be <c>application/json</c>, a type no
/// HTML form can send and no page can send cross-origin without a preflight. Artifact uploads carry
/// raw bytes, as MLflow clients send them; there only the form and text types are refused;</item>
/// <item>every answer carries <c>X-Content-Type-Options: nosniff</c> and <c>X-Frame-Options: SAMEORIGIN</c>.</item>
/// </list>
/// Refusals are 403 (host, origin) or 400 (content type) with MLflow's wording.
/// </summary>
internal static class SecurityMiddleware
{
    internal const string InvalidHostMessage = "Invalid Host header - possible DNS rebinding attack detected";
    internal const string CorsBlockedMessage = "Cross-origin request blocked";
    private const string AllowedMethods = "GET, POST, PUT, PATCH, DELETE, OPTIONS";

    private static readonly string[] HostCheckExempt = ["/health", "/version", "/v2/health/live", "/v2/health/ready"];

    // The content types an HTML form or a no-preflight fetch can send (CORS "simple" requests).
    // Form encodings carry no file bytes a client would upload; text/plain stays allowed because clients
    // send a .txt file with its guessed type, and a cross-site page's POST is refused by the Origin check.
    private static readonly string[] FormTypes = ["application/x-www-form-urlencoded", "multipart/form-data"];

    public static IApplicationBuilder UseKeelSecurity(this IApplicationBuilder app, SecurityOptions options, string boundHost)
    {
        var hosts = new HostFilter(options.AllowedHosts, boundHost);
        var origins = new HashSet<string>(options.CorsAllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
        var anyOrigin = origins.Contains("*");
        return app.Use((context, next) =>
        {
            var request = context.Request;
            var origin = request.Headers.Origin.ToString();
            var crossOrigin = origin.Length > 0 && !IsSameOrigin(origin, request);
            var allowedOrigin = crossOrigin && (anyOrigin || origins.Contains(origin));

            // Headers are added as the answer starts, so error answers (which clear the response) get them too.
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "SAMEORIGIN";
                if (allowedOrigin)
                {
                    AddCorsHeaders(headers, origin, anyOrigin);
                }

                return Task.CompletedTask;
            });

            if (!hosts.Allows(request.Host.Value) && !HostCheckExempt.Contains(request.Path.Value, StringComparer.Ordinal))
            {
                Log(context).LogWarning("Refused a request for Host '{Host}'; allow it with --allowed-hosts", request.Host.Value);
                throw new KeelException(ErrorCode.PermissionDenied, InvalidHostMessage);
            }

            if (crossOrigin)
            {
                if (HttpMethods.IsOptions(request.Method) && !StringValues.IsNullOrEmpty(request.Headers.AccessControlRequestMethod))
                {
                    return allowedOrigin ? AnswerPreflightAsync(context) : throw Blocked(context, origin);
                }

                if (!allowedOrigin && IsStateChanging(request.Method))
                {
                    throw Blocked(context, origin);
                }
            }

            if (IsStateChanging(request.Method) && context.GetEndpoint() is not null)
            {
                CheckContentType(request);
            }

            return next(context);
        });
    }

    private static bool IsStateChanging(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method);

    private static void CheckContentType(HttpRequest request)
    {
        if (!IsArtifactTransfer(request.Path))
        {
            WireIO.EnsureJsonContentType(request.ContentType);
            return;
        }

        // PUT and DELETE always need a preflight cross-origin; a POST of a form or text does not.
        var mediaType = request.ContentType?.Split(';', 2)[0].Trim();
        if (HttpMethods.IsPost(request.Method) && FormTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            throw KeelException.InvalidParameter(
                $"Bad Request. Content-Type '{mediaType}' is not accepted for artifact uploads; send the bytes as application/octet-stream.");
        }
    }

    /// <summary>Artifact uploads and deletes (the proxied store and the UI's upload), which carry raw bytes.</summary>
    private static bool IsArtifactTransfer(PathString path)
    {
        foreach (var prefix in RoutePrefixes.Artifacts)
        {
            if (path.StartsWithSegments(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (var prefix in RoutePrefixes.Tracking)
        {
            if (path.Equals(prefix + "/upload-artifact", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The page comes from this server when its origin names the host the request was sent to.
    /// Scheme and port are not compared: behind a TLS-terminating proxy the server sees http on its
    /// own port while the page's origin is https on 443.
    /// </summary>
    private static bool IsSameOrigin(string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return false; // "null" (sandboxed frames, file://) is never this server.
        }

        var (host, _) = HostFilter.Split(request.Host.Value ?? string.Empty);
        return string.Equals(uri.Host, host, StringComparison.OrdinalIgnoreCase);
    }

    private static Task AnswerPreflightAsync(HttpContext context)
    {
        var response = context.Response;
        response.Headers.AccessControlAllowMethods = AllowedMethods;
        var requested = context.Request.Headers.AccessControlRequestHeaders;
        if (!StringValues.IsNullOrEmpty(requested))
        {
            response.Headers.AccessControlAllowHeaders = requested;
        }

        response.Headers.AccessControlMaxAge = "600";
        response.Headers.Append("Vary", "Access-Control-Request-Method, Access-Control-Request-Headers");
        response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static void AddCorsHeaders(IHeaderDictionary headers, string origin, bool anyOrigin)
    {
        if (anyOrigin)
        {
            // With "*" no credentials: a page on any site must not act with the user's login.
            headers.AccessControlAllowOrigin = "*";
        }
        else
        {
            headers.AccessControlAllowOrigin = origin;
            headers.AccessControlAllowCredentials = "true";
            headers.Append("Vary", "Origin");
        }

        headers.AccessControlExposeHeaders = "x-request-id, x-keel-model-version";
    }

    private static KeelException Blocked(HttpContext context, string origin)
    {
        Log(context).LogWarning("Blocked a cross-origin {Method} {Path} from {Origin}; allow it with --cors-allowed-origins", context.Request.Method, context.Request.Path, origin);
        return new KeelException(ErrorCode.PermissionDenied, CorsBlockedMessage);
    }

    private static ILogger Log(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Keel.Server.Security");
}
