using System.Text;
using System.Text.Json;
using Keel.Application;
using Keel.Core.Configuration;
using Keel.Core.Errors;
using Keel.Server.Http;

namespace Keel.Server.Endpoints;

/// <summary>
/// MLflow's <c>gateway-proxy</c>: the UI's prompt-engineering page reaches the AI gateway named by
/// <c>MLFLOW_DEPLOYMENTS_TARGET</c> (<see cref="KeelServerOptions.DeploymentsTarget"/>) through the tracking server. Without a target MLflow answers
/// as an empty gateway (<c>{"endpoints": []}</c>) so the page shows no models; so does Keel.
/// </summary>
internal static class GatewayProxyEndpoints
{
    public static void Map(IEndpointRouteBuilder app, Uri? target)
    {
        var proxy = target is null ? null : new Forwarder(target);
        foreach (var prefix in RoutePrefixes.Tracking)
        {
            app.MapMethods(prefix + "/gateway-proxy", [HttpMethods.Get, HttpMethods.Post], context => ProxyAsync(context, proxy));
        }
    }

    private static async Task ProxyAsync(HttpContext context, Forwarder? proxy)
    {
        if (proxy is null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"endpoints": []}""", context.RequestAborted);
            return;
        }

        string? gatewayPath;
        string? jsonData;
        if (HttpMethods.IsGet(context.Request.Method))
        {
            gatewayPath = QueryArgs.String(context, "gateway_path");
            jsonData = QueryArgs.String(context, "json_data");
        }
        else
        {
            (gatewayPath, jsonData) = await WireIO.ReadObjectAsync(context, ReadArgs);
        }

        await proxy.ForwardAsync(context, GatewayRequests.RequirePath(gatewayPath), jsonData);
    }

    /// <summary>The POST body: <c>gateway_path</c> and the JSON to forward as <c>json_data</c>.</summary>
    private static (string? Path, string? JsonData) ReadArgs(JsonElement root)
    {
        string? path = null;
        if (root.TryGetProperty("gateway_path", out var p))
        {
            path = p.ValueKind == JsonValueKind.String
                ? p.GetString()
                : throw Core.Wire.RequestSchema.InvalidValue("gateway_path", p);
        }

        var data = root.TryGetProperty("json_data", out var d) && d.ValueKind != JsonValueKind.Null ? d.GetRawText() : null;
        return (path, data);
    }

    private sealed class Forwarder(Uri target)
    {
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(120) };

        public async Task ForwardAsync(HttpContext context, string gatewayPath, string? jsonData)
        {
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(target.AbsoluteUri.TrimEnd('/') + "/" + gatewayPath));
            if (jsonData is not null)
            {
                request.Content = new StringContent(jsonData, Encoding.UTF8, "application/json");
            }

            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(request, context.RequestAborted);
            }
            catch (HttpRequestException e)
            {
                throw new KeelException(ErrorCode.TemporarilyUnavailable, $"Deployments proxy request failed: {KeelEnvironment.DeploymentsTarget} ({target}) could not be reached: {e.Message}");
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(context.RequestAborted);
                if (response.StatusCode != System.Net.HttpStatusCode.OK)
                {
                    // The gateway's own status says whose fault it was; MLflow's message carries it.
                    var code = (int)response.StatusCode is >= 400 and < 500 ? ErrorCode.BadRequest : ErrorCode.TemporarilyUnavailable;
                    throw new KeelException(code, $"Deployments proxy request failed with error code {(int)response.StatusCode}. Error message: {text}");
                }

                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(text, context.RequestAborted);
            }
        }
    }
}
