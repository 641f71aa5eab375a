namespace Keel.Server.Http;

/// <summary>
/// Treats repeated slashes in a request path as one before routing, as MLflow's server (Werkzeug)
/// does, so a client that joins its base URL with a leading '/' (<c>http://host//get-artifact</c>)
/// reaches the same route. Must run before routing.
/// </summary>
internal static class SlashMerging
{
    public static IApplicationBuilder UseSlashMerging(this IApplicationBuilder app) =>
        app.Use(static (context, next) =>
        {
            var path = context.Request.Path.Value;
            if (path is not null && path.Contains("//", StringComparison.Ordinal))
            {
                var merged = new System.Text.StringBuilder(path.Length);
                foreach (var c in path)
                {
                    if (c != '/' || merged.Length == 0 || merged[^1] != '/')
                    {
                        merged.Append(c);
                    }
                }

                context.Request.Path = new PathString(merged.ToString());
            }

            return next(context);
        });
}
