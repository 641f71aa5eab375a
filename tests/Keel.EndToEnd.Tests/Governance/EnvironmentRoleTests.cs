using System.Net;
using System.Text;
using Keel.Core.Governance;
using Xunit;

namespace Keel.EndToEnd.Tests.Governance;

/// <summary>
/// Environment roles decide Keel's own routes: a deployer in dev may roll out a dev endpoint but not
/// one assigned to prod, nor create an endpoint in prod; a deployer binding in prod (here through a
/// group) lets them through; the change takes effect at once on the server it was made through.
/// </summary>
public sealed class EnvironmentRoleTests(AuthServers servers) : IClassFixture<AuthServers>
{
    [Fact]
    public async Task A_role_counts_only_in_its_environment_and_groups_carry_roles()
    {
        var server = servers.Reading;
        var services = server.Services;
        var governance = (IGovernanceStore)services.GetService(typeof(IGovernanceStore))!;
        var environments = (IEnvironmentStore)services.GetService(typeof(IEnvironmentStore))!;
        await governance.SetRoleAsync(new RoleBinding("user:user", "dev", EnvironmentRole.Deployer));
        await environments.AssignAsync(new EnvironmentAssignment(GovernedResource.Endpoint, "prod-churn", "prod"));
        using var http = server.Http(server.UserToken);

        // Through to the route (a 4xx of its own: the endpoints do not exist) or refused by the policy (403).
        Assert.True(Through(await PostAsync(http, "/api/2.0/keel/endpoints/dev-churn/rollout", "{}")));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(http, "/api/2.0/keel/endpoints/prod-churn/rollout", "{}"));
        Assert.Equal(HttpStatusCode.Forbidden, await PostAsync(http, "/api/2.0/keel/endpoints", """{"name":"x","model_uri":"models:/m/1","environment":"prod"}"""));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/2.0/keel/endpoints")).StatusCode);

        // Deployers of prod, as a group; the server forgets its cached roles when the binding is made through it.
        using var admin = server.Http(server.AdminToken);
        Assert.True((await admin.PutAsync("/api/2.0/keel/groups/release/members/user", Json("{}"))).IsSuccessStatusCode);
        Assert.True((await admin.PutAsync("/api/2.0/keel/roles", Json("""{"principal":"group:release","environment":"prod","role":"deployer"}"""))).IsSuccessStatusCode);
        Assert.True(Through(await PostAsync(http, "/api/2.0/keel/endpoints/prod-churn/rollout", "{}")));
    }

    private static bool Through(HttpStatusCode status) => status is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized) && (int)status < 500;

    private static async Task<HttpStatusCode> PostAsync(HttpClient http, string path, string body) => (await http.PostAsync(path, Json(body))).StatusCode;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");
}
