using Keel.Cli.Commands.Package;

namespace Keel.Cli.Tests.Package;

/// <summary>What `keel package` copies and writes besides the model.</summary>
public sealed class PackageFilesTests : IDisposable
{
    private readonly string _runtime = Path.Combine(Path.GetTempPath(), "keel-scorer-runtime-" + Guid.NewGuid().ToString("N"));

    public PackageFilesTests()
    {
        foreach (var file in new[]
        {
            "keel-scorer.dll", "keel-scorer.runtimeconfig.json",
            "runtimes/linux-x64/native/libonnxruntime.so", "runtimes/linux-arm64/native/libonnxruntime.so",
            "runtimes/win-x64/native/onnxruntime.dll", "runtimes/unix/lib/net10.0/System.Unix.dll",
            "runtimes/win/lib/net10.0/System.Win.dll", "runtimes/android/native/onnxruntime.aar",
        })
        {
            var path = Path.Combine(_runtime, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, file);
        }
    }

    [Fact]
    public void Only_the_target_platforms_native_libraries_are_copied()
    {
        var linux = ScorerRuntime.FilesFor(_runtime, "linux-x64").Select(f => f.Replace('\\', '/')).Order(StringComparer.Ordinal);
        Assert.Equal(
            ["keel-scorer.dll", "keel-scorer.runtimeconfig.json", "runtimes/linux-x64/native/libonnxruntime.so", "runtimes/unix/lib/net10.0/System.Unix.dll"],
            linux);
        var windows = ScorerRuntime.FilesFor(_runtime, "win-x64").Select(f => f.Replace('\\', '/')).ToHashSet();
        Assert.Contains("runtimes/win/lib/net10.0/System.Win.dll", windows);
        Assert.DoesNotContain("runtimes/unix/lib/net10.0/System.Unix.dll", windows);
        Assert.Equal(8, ScorerRuntime.FilesFor(_runtime, ScorerRuntime.AnyRuntime).Count);
        Assert.Equal(["android", "linux-arm64", "linux-x64", "unix", "win", "win-x64"], ScorerRuntime.Platforms(_runtime));
    }

    [Theory]
    [InlineData("linux-x64", "FROM --platform=linux/amd64 mcr.microsoft.com/dotnet/aspnet:10.0")]
    [InlineData("linux-arm64", "FROM --platform=linux/arm64 mcr.microsoft.com/dotnet/aspnet:10.0")]
    [InlineData("any", "FROM mcr.microsoft.com/dotnet/aspnet:10.0")]
    public void The_dockerfile_targets_the_packaged_platform(string runtime, string from)
    {
        var dockerfile = PackageFiles.Dockerfile("churn", "3", "models:/churn@champion", runtime, 9000)!;
        Assert.Contains(from + "\n", dockerfile, StringComparison.Ordinal);
        Assert.Contains("EXPOSE 9000\n", dockerfile, StringComparison.Ordinal);
        Assert.Contains("""ENTRYPOINT ["dotnet", "app/keel-scorer.dll", "--model", "model", "--name", "churn", "--model-version", "3", "--host", "0.0.0.0", "--port", "9000"]""", dockerfile, StringComparison.Ordinal);
        Assert.Contains("USER $APP_UID", dockerfile, StringComparison.Ordinal);
    }

    [Fact]
    public void No_dockerfile_for_a_platform_containers_do_not_run()
    {
        Assert.Null(PackageFiles.Dockerfile("churn", "3", "models:/churn/3", "win-x64", 8080));
        Assert.Null(PackageFiles.Dockerfile("churn", "3", "models:/churn/3", "osx-arm64", 8080));
    }

    [Fact]
    public void The_run_script_quotes_its_arguments()
    {
        var script = PackageFiles.RunScript("it's", "3");
        Assert.StartsWith("#!/bin/sh\n", script, StringComparison.Ordinal);
        Assert.Contains("--name 'it'\\''s' --model-version '3' \"$@\"", script, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", script, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_runtime, recursive: true);
}
