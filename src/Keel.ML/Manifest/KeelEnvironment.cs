namespace Keel.ML.Manifest;

/// <summary>
/// The <c>keel_environment</c> section: the .NET runtime and package versions a model was built
/// with, Keel's counterpart of MLflow's conda.yaml / python_env.yaml.
/// </summary>
/// <param name="Dotnet">The .NET runtime version, e.g. 10.0.0.</param>
/// <param name="Packages">NuGet package id to version.</param>
public sealed record KeelEnvironment(string Dotnet, IReadOnlyDictionary<string, string> Packages)
{
    internal static KeelEnvironment? From(IReadOnlyDictionary<string, object?>? map) =>
        map is null ? null : new KeelEnvironment(map.Str("dotnet") ?? string.Empty, map.StrMap("packages"));

    internal Dictionary<string, object?> ToTree() => new(StringComparer.Ordinal)
    {
        ["dotnet"] = Dotnet,
        ["packages"] = Packages.ToTree(),
    };
}
