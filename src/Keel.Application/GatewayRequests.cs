using Keel.Core.Errors;

namespace Keel.Application;

/// <summary>
/// Rules of MLflow's <c>gateway-proxy</c> route, which forwards the UI's calls to the AI gateway
/// named by <c>MLFLOW_DEPLOYMENTS_TARGET</c>.
/// </summary>
public static class GatewayRequests
{
    /// <summary>
    /// The gateway path to forward to, relative to the target. Required (MLflow's wording); kept
    /// relative so that a request cannot send the server to another host or above the target's path.
    /// </summary>
    public static string RequirePath(string? gatewayPath)
    {
        if (string.IsNullOrEmpty(gatewayPath))
        {
            throw KeelException.InvalidParameter("Deployments proxy request must specify a gateway_path.");
        }

        var segments = gatewayPath.Split('/');
        if (gatewayPath.Contains("://", StringComparison.Ordinal) || gatewayPath.Contains('\\', StringComparison.Ordinal) ||
            gatewayPath.StartsWith('/') || segments.Any(s => s is "." or ".."))
        {
            throw KeelException.InvalidParameter(
                $"Invalid gateway_path '{gatewayPath}': it must be a path relative to the deployments target, without '.' or '..' segments.");
        }

        return gatewayPath;
    }
}
