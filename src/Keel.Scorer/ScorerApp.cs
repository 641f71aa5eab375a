using System.Net;

namespace Keel.Scorer;

/// <summary>Composes the scorer's web host: Kestrel on one address, the scoring routes, nothing else.</summary>
internal static class ScorerApp
{
    public static WebApplication Build(ScorerOptions options, ScoredModel model)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = ScorerEndpoints.MaxBodyBytes;
            if (options.Host is "0.0.0.0" or "*")
            {
                k.ListenAnyIP(options.Port);
            }
            else if (options.Host == "localhost")
            {
                k.ListenLocalhost(options.Port);
            }
            else
            {
                k.Listen(IPAddress.Parse(options.Host), options.Port);
            }
        });
        builder.Services.AddSingleton(model);
        var app = builder.Build();
        ScorerEndpoints.Map(app);
        return app;
    }
}
