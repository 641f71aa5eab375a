using System.Globalization;
using System.Text;

namespace Keel.Cli.Commands.Package;

/// <summary>The files written beside the model and runtime: how to run the scorer directly and in a container.</summary>
internal static class PackageFiles
{
    public static string RunScript(string name, string version) => $"""
        #!/bin/sh
        # Starts the Keel standalone scorer for model '{name}' version {version}; needs the .NET 10 ASP.NET Core runtime.
        # Options: --host ADDRESS (default 127.0.0.1), --port PORT (default 8080).
        here="$(cd "$(dirname "$0")" && pwd)"
        exec dotnet "$here/app/keel-scorer.dll" --model "$here/model" --name {Shell(name)} --model-version {Shell(version)} "$@"

        """.Replace("\r\n", "\n", StringComparison.Ordinal);

    /// <summary>A Dockerfile for a Linux platform, or null when the package targets another OS.</summary>
    public static string? Dockerfile(string name, string version, string modelUri, string runtime, int port)
    {
        string? platform = runtime switch
        {
            ScorerRuntime.AnyRuntime => null,
            "linux-x64" => "linux/amd64",
            "linux-arm64" => "linux/arm64",
            "linux-arm" => "linux/arm/v7",
            _ => string.Empty,
        };
        if (platform == string.Empty)
        {
            return null;
        }

        var from = platform is null ? "FROM mcr.microsoft.com/dotnet/aspnet:10.0" : $"FROM --platform={platform} mcr.microsoft.com/dotnet/aspnet:10.0";
        var entry = string.Join(", ", new[] { "dotnet", "app/keel-scorer.dll", "--model", "model", "--name", name, "--model-version", version, "--host", "0.0.0.0", "--port", port.ToString(CultureInfo.InvariantCulture) }.Select(Json));
        return $"""
            # Keel standalone scorer for {modelUri} (model '{name}', version {version}), written by `keel package`.
            # Build and run:  docker build -t {name.ToLowerInvariant()}-scorer:{version} . && docker run -p {port}:{port} {name.ToLowerInvariant()}-scorer:{version}
            # Serves POST /v2/models/{name}/infer, POST /invocations, GET /health and GET /v2/health/ready; no network needed.
            {from}
            WORKDIR /srv/keel
            COPY app/ app/
            COPY model/ model/
            COPY scorer.json ./
            USER $APP_UID
            EXPOSE {port}
            ENTRYPOINT [{entry}]

            """.Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    private static string Json(string value) => System.Text.Json.JsonSerializer.Serialize(value);

    private static string Shell(string value)
    {
        var quoted = new StringBuilder("'");
        quoted.Append(value.Replace("'", "'\\''", StringComparison.Ordinal));
        return quoted.Append('\'').ToString();
    }
}
