using System.CommandLine;
using Keel.Cli.Infrastructure;
using Spectre.Console;

namespace Keel.Cli.Commands.Deploy;

/// <summary><c>keel deploy kubernetes ENDPOINT --output DIR</c></summary>
internal static class KubernetesCommand
{
    /// <summary>The image the manifests name unless --image says otherwise: this Keel's version.</summary>
    public static string DefaultImage { get; } = "keel:" + (typeof(KubernetesCommand).Assembly.GetName().Version?.ToString(3) ?? "latest");

    public static Command Create()
    {
        var endpoint = new Argument<string>("endpoint") { Description = "The endpoint to deploy; its routes are pinned to the model versions they name now." };
        var output = new Option<string>("--output", "-o") { Description = "Directory to write the manifests into (created if missing).", Required = true };
        var trackingUri = new Option<string?>("--tracking-uri") { Description = "Keel server URI (http[s]://...) or backend store URI to read the endpoint from. Default: KEEL_TRACKING_URI, then MLFLOW_TRACKING_URI, else the embedded store." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Data directory of the embedded store. Default: KEEL_DATA_DIR, else ~/.keel." };
        var format = new Option<string>("--format") { Description = "kubernetes (Deployment, Service, HorizontalPodAutoscaler, ConfigMap) or kserve (InferenceService, ConfigMap).", DefaultValueFactory = _ => "kubernetes" };
        var name = new Option<string?>("--name") { Description = "Base name of the resources. Default: keel-<endpoint>." };
        var ns = new Option<string>("--namespace", "-n") { Description = "Kubernetes namespace.", DefaultValueFactory = _ => "default" };
        var image = new Option<string?>("--image") { Description = $"The keel server image. Default: {DefaultImage}." };
        var replicas = new Option<int?>("--replicas") { Description = "Replicas at first apply. Default: --min-replicas." };
        var minReplicas = new Option<int>("--min-replicas") { Description = "Fewest replicas the autoscaler keeps.", DefaultValueFactory = _ => 2 };
        var maxReplicas = new Option<int>("--max-replicas") { Description = "Most replicas the autoscaler starts.", DefaultValueFactory = _ => 10 };
        var target = new Option<int>("--target-cpu-utilization") { Description = "Average CPU use, percent of the request, the autoscaler aims for.", DefaultValueFactory = _ => 70 };
        var cpu = new Option<string>("--cpu") { Description = "CPU request per replica (e.g. 500m, 2).", DefaultValueFactory = _ => "500m" };
        var memory = new Option<string>("--memory") { Description = "Memory request per replica (e.g. 512Mi, 2Gi).", DefaultValueFactory = _ => "512Mi" };
        var cpuLimit = new Option<string?>("--cpu-limit") { Description = "CPU limit per replica. Default: none (no throttling)." };
        var memoryLimit = new Option<string?>("--memory-limit") { Description = "Memory limit per replica. Default: --memory." };
        var port = new Option<int>("--port") { Description = "Port the container listens on.", DefaultValueFactory = _ => 8080 };
        var serviceType = new Option<string>("--service-type") { Description = "ClusterIP, NodePort or LoadBalancer.", DefaultValueFactory = _ => "ClusterIP" };
        var backendSecret = new Option<string>("--backend-store-uri-secret") { Description = $"Secret whose key '{KubernetesSettings.BackendStoreSecretKey}' holds the backend store URI (postgresql://...).", DefaultValueFactory = _ => "keel-backend-store" };
        var artifacts = new Option<string?>("--artifacts-destination") { Description = "s3://BUCKET/PREFIX where the replicas keep artifacts." };
        var s3Secret = new Option<string?>("--s3-credentials-secret") { Description = "Secret whose keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_DEFAULT_REGION) become the replicas' environment." };
        var s3Endpoint = new Option<string?>("--s3-endpoint-url") { Description = "S3 endpoint for non-AWS object stores (sets MLFLOW_S3_ENDPOINT_URL)." };
        var allowedHosts = new Option<string?>("--allowed-hosts") { Description = "Comma-separated extra Host names the replicas answer (an ingress host); in-cluster names are always allowed." };

        var command = new Command("kubernetes", "Write Kubernetes manifests (or a KServe InferenceService) for an endpoint's serving replicas.")
        {
            endpoint, output, trackingUri, dataDir, format, name, ns, image, replicas, minReplicas, maxReplicas, target,
            cpu, memory, cpuLimit, memoryLimit, port, serviceType, backendSecret, artifacts, s3Secret, s3Endpoint, allowedHosts,
        };
        command.SetAsyncAction(async (result, cancellationToken) =>
        {
            var endpointName = result.GetValue(endpoint)!;
            var settings = KubernetesSettingsParser.Parse(endpointName, new KubernetesOptionValues
            {
                Name = result.GetValue(name),
                Namespace = result.GetValue(ns)!,
                Format = result.GetValue(format)!,
                Image = result.GetValue(image),
                Replicas = result.GetValue(replicas),
                MinReplicas = result.GetValue(minReplicas),
                MaxReplicas = result.GetValue(maxReplicas),
                TargetCpuUtilization = result.GetValue(target),
                Cpu = result.GetValue(cpu)!,
                Memory = result.GetValue(memory)!,
                CpuLimit = result.GetValue(cpuLimit),
                MemoryLimit = result.GetValue(memoryLimit),
                Port = result.GetValue(port),
                ServiceType = result.GetValue(serviceType)!,
                BackendStoreSecret = result.GetValue(backendSecret)!,
                ArtifactsDestination = result.GetValue(artifacts),
                S3CredentialsSecret = result.GetValue(s3Secret),
                S3EndpointUrl = result.GetValue(s3Endpoint),
                AllowedHosts = result.GetValue(allowedHosts),
            }, DefaultImage);

            await using var session = await StoreSession.OpenAsync(result.GetValue(trackingUri), result.GetValue(dataDir), cancellationToken: cancellationToken).ConfigureAwait(false);
            var resolved = await EndpointResolver.ResolveAsync(session, endpointName, cancellationToken).ConfigureAwait(false);
            var directory = Path.GetFullPath(result.GetValue(output)!);
            Directory.CreateDirectory(directory);
            var files = KubernetesManifests.Build(resolved, settings);
            foreach (var file in files)
            {
                await File.WriteAllTextAsync(Path.Combine(directory, file.FileName), Yaml.Write(file.Document), cancellationToken).ConfigureAwait(false);
            }

            Print(resolved, settings, directory, files);
            return 0;
        });
        return command;
    }

    private static void Print(ResolvedEndpoint resolved, KubernetesSettings settings, string directory, IReadOnlyList<ManifestFile> files)
    {
        var table = new CliTable(CliColumn.Short("Route"), CliColumn.Uri("Requested"), CliColumn.Uri("Pinned to"));
        foreach (var (route, resolution) in resolved.Endpoint.Routes.Zip(resolved.Routes))
        {
            table.AddRow(Markup.Escape($"{route.Role.ToString().ToLowerInvariant()} {route.Weight}%"), Markup.Escape(resolution.RequestedUri), Markup.Escape(resolution.PinnedUri));
        }

        table.Write();
        foreach (var file in files)
        {
            AnsiConsole.MarkupLineInterpolated($"wrote {file.Kind} [bold]{Path.Combine(directory, file.FileName)}[/]");
        }

        AnsiConsole.MarkupLineInterpolated($"Create the Secret first: kubectl -n {settings.Namespace} create secret generic {settings.BackendStoreSecret} --from-literal={KubernetesSettings.BackendStoreSecretKey}=postgresql://USER:PASSWORD@HOST:5432/DB");
        AnsiConsole.MarkupLineInterpolated($"Then: kubectl apply -f {directory}");
    }
}
