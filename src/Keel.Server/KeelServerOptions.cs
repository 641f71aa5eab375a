namespace Keel.Server;

/// <summary>Settings of <c>keel server</c>.</summary>
/// <param name="Host">Interface to bind; loopback by default so a fresh install is not exposed.</param>
/// <param name="Port">TCP port; 0 picks a free one (tests).</param>
/// <param name="DataDir">Data directory; default <c>KEEL_DATA_DIR</c>, else <c>~/.keel</c>.</param>
/// <param name="BackendStoreUri">Metadata store: <c>sqlite:///abs/path</c> or a file path; default <c>sqlite:///&lt;data dir&gt;/keel.db</c>.</param>
/// <param name="ArtifactsDestination">Where proxied artifacts live: <c>file:///abs/path</c> or a path; default <c>&lt;data dir&gt;/artifacts</c>.</param>
/// <param name="Serving">Model server settings; default from KEEL_PREDICTION_LOG_* and KEEL_ROLLOUT_* environment variables.</param>
/// <param name="Security">Allowed hosts and CORS origins; default: localhost and the bound address, CORS closed.</param>
public sealed record KeelServerOptions(
    string Host = "127.0.0.1",
    int Port = 5000,
    string? DataDir = null,
    string? BackendStoreUri = null,
    string? ArtifactsDestination = null,
    Keel.Serving.ServingOptions? Serving = null,
    Keel.Server.Http.SecurityOptions? Security = null);
