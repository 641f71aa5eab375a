using System.CommandLine;

namespace Keel.Cli.Commands.Deploy;

/// <summary><c>keel deploy ...</c>: write what a platform needs to run Keel's serving replicas.</summary>
internal static class DeployCommand
{
    public static Command Create() => new("deploy", "Write deployment manifests for an endpoint's serving replicas.")
    {
        KubernetesCommand.Create(),
    };
}
