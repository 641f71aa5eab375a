using BenchmarkDotNet.Running;
using Keel.Bench;

// `load` runs the HTTP load driver against a real `keel server`; anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "drift")
{
    return Keel.Bench.DriftBench.Run(args);
}

if (args.Length > 0 && args[0] == "online-write")
{
    return await OnlineFeatureBench.WriteAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "online-rest")
{
    return await OnlineRestDriver.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "online-read")
{
    return await OnlineFeatureBench.ReadAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "load")
{
    return await LoadDriver.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "ingest")
{
    return await IngestDriver.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "pg-store")
{
    return await PostgresStoreDriver.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "serve-load")
{
    return await ServingLoadDriver.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "replicas")
{
    return await ReplicaDriver.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "echo-server")
{
    return await EchoServer.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "artifacts-stream")
{
    return await ArtifactStreamDriver.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "predict")
{
    return await PredictDriver.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "data-add")
{
    return await DataAddDriver.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "data-profile")
{
    return await DataBench.ProfileAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "data-validate")
{
    return await DataBench.ValidateAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "pipelines")
{
    return await PipelineBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "audit-verify")
{
    return await AuditVerifyBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "auth")
{
    return await AuthOverheadBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "ui")
{
    return await UiBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "pit")
{
    return await PitBench.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "feedback")
{
    return await FeedbackDriver.RunAsync(args[1..]);
}

if (args.Length > 1 && args[0] == "load-model")
{
    return PredictDriver.LoadOnce(args[1]);
}

BenchmarkSwitcher.FromAssembly(typeof(LoadDriver).Assembly).Run(args);
return 0;
