using System.Net;
using System.Text;
using Keel.Core.Governance;
using Keel.Server.Governance;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Keel.EndToEnd.Tests.Governance;

/// <summary>
/// The authorization table, generated from the server's route table: every route has a policy (so
/// a new route cannot be forgotten), and every route answers each kind of caller (anonymous, a user
/// with no grants, a user who may read, an admin) as its policy says: 401, 403, or through to the
/// route. The requests carry every argument a policy looks at, naming resources that do not exist,
/// so a route that lets the caller through answers its own 4xx.
/// </summary>
public sealed class AuthorizationTableTests(AuthServers servers) : IClassFixture<AuthServers>
{
    public enum CallerKind
    {
        Anonymous,
        NoGrants,
        Reader,
        Admin,
    }

    public static TheoryData<string, CallerKind> Table()
    {
        var data = new TheoryData<string, CallerKind>();
        foreach (var route in RoutePolicies.All.Keys.Order(StringComparer.Ordinal))
        {
            foreach (var caller in Enum.GetValues<CallerKind>())
            {
                data.Add(route, caller);
            }
        }

        return data;
    }

    [Fact]
    public void Every_route_of_the_server_has_a_policy_and_every_policy_a_route()
    {
        var routes = servers.Reading.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => RoutePolicies.Key(m, e.RoutePattern.RawText ?? string.Empty)))
            .ToHashSet(StringComparer.Ordinal);
        var withoutPolicy = routes.Where(r => !RoutePolicies.All.ContainsKey(r)).Order().ToList();
        var withoutRoute = RoutePolicies.All.Keys.Where(k => !routes.Contains(k)).Order().ToList();
        Assert.True(withoutPolicy.Count == 0, "Routes without an authorization policy (add them to RoutePolicies): " + string.Join(", ", withoutPolicy));
        Assert.True(withoutRoute.Count == 0, "Policies for routes the server does not have: " + string.Join(", ", withoutRoute));
    }

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Each_route_answers_each_caller_as_its_policy_says(string route, CallerKind caller)
    {
        var policy = RoutePolicies.All[route];
        var server = caller == CallerKind.NoGrants ? servers.Closed : servers.Reading;
        var token = caller switch
        {
            CallerKind.Anonymous => null,
            CallerKind.Admin => server.AdminToken,
            _ => server.UserToken,
        };
        var expected = Expected(policy, caller);
        var (status, body) = await SendAsync(server, token, route);
        // A 403 of the route itself (e.g. a user asking for another's tokens) is the route's answer,
        // in MLflow's JSON error shape; the policy's refusal is MLflow's plain "Permission denied".
        var verdict = status switch
        {
            HttpStatusCode.Unauthorized => "401",
            HttpStatusCode.Forbidden when body == AuthMiddleware.ForbiddenMessage => "403",
            _ => "through",
        };
        Assert.True(expected == verdict, $"{route} as {caller} ({policy.Describe()}): expected {expected}, got {(int?)status} ({verdict})");
    }

    private static string Expected(RoutePolicy policy, CallerKind caller) => (policy, caller) switch
    {
        (PublicPolicy, _) => "through",
        (_, CallerKind.Anonymous) => "401",
        (_, CallerKind.Admin) => "through",
        (AuthenticatedPolicy, _) => "through",
        (PermissionPolicy p, CallerKind.Reader) when p.Level <= PermissionLevel.Read => "through",
        (RolePolicy r, CallerKind.Reader) when r.Role <= EnvironmentRole.Viewer => "through",
        _ => "403",
    };

    private static async Task<(HttpStatusCode? Status, string? Body)> SendAsync(AuthServer server, string? token, string route)
    {
        var space = route.IndexOf(' ', StringComparison.Ordinal);
        var method = route[..space];
        var path = Fill(route[(space + 1)..]);
        // The table spells /ajax-api as /api; the UI's upload and GraphQL routes exist only under /ajax-api.
        if (path is "/api/2.0/mlflow/upload-artifact" or "/api/graphql")
        {
            path = "/ajax-" + path[1..];
        }

        var query = "experiment_id=999999&experiment_ids=999999&experiment_name=fixture&run_id=0123456789abcdef0123456789abcdef&run_uuid=0123456789abcdef0123456789abcdef"
            + "&run_ids=0123456789abcdef0123456789abcdef&name=fixture&username=someone-else&endpoint=fixture&uri=datasets:/fixture@latest&path=999999/fixture.txt&max_results=1";
        // What a caller creates it manages (MLflow's rule): creations get names of their own, so the
        // fixture names the other requests use stay ungranted.
        var fixture = path.EndsWith("/create", StringComparison.Ordinal) ? "created-" + Guid.NewGuid().ToString("N") : "fixture";
        query = query.Replace("name=fixture", "name=" + fixture, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(new HttpMethod(method), path + "?" + query);
        if (method is not ("GET" or "HEAD"))
        {
            request.Content = new StringContent(
                $$"""{"experiment_id":"999999","experiment_ids":["999999"],"experiment_name":"fixture","run_id":"0123456789abcdef0123456789abcdef","run_uuid":"0123456789abcdef0123456789abcdef","run_ids":["0123456789abcdef0123456789abcdef"],"name":"{{fixture}}","new_name":"{{fixture}}-renamed","username":"someone-else","endpoint":"fixture","uri":"datasets:/fixture@latest","definition":"name: fixture\n","path":"999999/fixture.txt"}""",
                Encoding.UTF8,
                "application/json");
        }

        using var http = server.Http(token);
        // A long poll (e.g. a change feed) that got past authorization is "through": only the first answer matters.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var body = response.StatusCode == HttpStatusCode.Forbidden ? await response.Content.ReadAsStringAsync(timeout.Token) : null;
            return (response.StatusCode, body);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return (null, null);
        }
    }

    private static string Fill(string pattern) => pattern
        .Replace("{**path}", "999999/fixture.txt", StringComparison.Ordinal)
        .Replace("{documentName}", "keel", StringComparison.Ordinal)
        .Replace("{digest}", new string('0', 64), StringComparison.Ordinal)
        .Replace("{name}", "fixture", StringComparison.Ordinal)
        .Replace("{alias}", "champion", StringComparison.Ordinal)
        .Replace("{version}", "1", StringComparison.Ordinal)
        .Replace("{start}", "0", StringComparison.Ordinal)
        .Replace("{trigger}", "t", StringComparison.Ordinal)
        .Replace("{step}", "s", StringComparison.Ordinal)
        .Replace("{id}", "1", StringComparison.Ordinal)
        .Replace("{group}", "fixture", StringComparison.Ordinal)
        .Replace("{username}", "someone-else", StringComparison.Ordinal);
}
