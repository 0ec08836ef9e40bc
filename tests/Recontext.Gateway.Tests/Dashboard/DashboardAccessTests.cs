using System.Net;
using System.Net.Http.Headers;

namespace Recontext.Gateway.Tests.Dashboard;

/// <summary>A gateway whose reads need a key (as it is when it listens beyond loopback): the pages ask for the key
/// with a login form, the JSON twins and the run API's reads answer 401 without it.</summary>
public sealed class DashboardAccessTests : IAsyncLifetime
{
    readonly string root = Directory.CreateTempSubdirectory("recontext-dashboard-access-").FullName;
    GatewayFixture gateway = null!;

    public async Task InitializeAsync() => gateway = await GatewayFixture.StartAsync(root, "--reads", "key");

    public async Task DisposeAsync()
    {
        await gateway.DisposeAsync();
        Directory.Delete(root, recursive: true);
    }

    async Task<HttpResponseMessage> GetAsync(string path, string? key = null, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (cookie is not null) request.Headers.Add("Cookie", cookie);
        return await gateway.Http.SendAsync(request);
    }

    [Fact]
    public async Task ReadsNeedTheKeyAsAHeaderOrTheLoginCookie()
    {
        var page = await GetAsync("/dashboard/runs");
        Assert.Equal(HttpStatusCode.Unauthorized, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("<form class=\"login\" method=\"post\" action=\"/dashboard/login\"", html);
        foreach (var path in new[] { "/api/dashboard/runs", "/api/runs", "/api/runs/anything/rollouts" })
            Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync("/api/runs", key: "wrong-key-0123456789")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/dashboard/runs", key: GatewayFixture.Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/dashboard/runs", key: GatewayFixture.Key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/api/runs", key: GatewayFixture.Key)).StatusCode);
        // The gRPC API's reads too.
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(gateway.GrpcAddress);
        var grpc = new Contracts.Grpc.Runs.RunsClient(channel);
        var refused = await Assert.ThrowsAsync<global::Grpc.Core.RpcException>(() => grpc.ListAsync(new Contracts.Grpc.ListRuns()).ResponseAsync);
        Assert.Equal(global::Grpc.Core.StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Empty((await grpc.ListAsync(new Contracts.Grpc.ListRuns(), new global::Grpc.Core.Metadata { { "authorization", $"Bearer {GatewayFixture.Key}" } })).Runs);
        // What Prometheus and the orchestrator read stays open.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task AGatewayWithoutKeysServesTheDashboardOnLoopbackAndRefusesChanges()
    {
        var app = Host.GatewayHost.Build(["--runs", Path.Combine(root, "keyless"), "--cache", Path.Combine(root, "cache"), "--urls", "http://127.0.0.1:0", "--grpc-url", "http://127.0.0.1:0"]);
        await app.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/dashboard/runs")).StatusCode);
            var submit = await http.PostAsync("/api/runs", new StringContent("name: x"));
            Assert.Equal(HttpStatusCode.Unauthorized, submit.StatusCode);
            Assert.Contains("started without API keys, so it only reads", await submit.Content.ReadAsStringAsync());
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    [Fact]
    public async Task TheLoginFormSetsTheCookieAndNeverRedirectsElsewhere()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = gateway.Http.BaseAddress };
        async Task<HttpResponseMessage> Login(string key, string back) =>
            await http.PostAsync("/dashboard/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = key, ["return"] = back }));

        var wrong = await Login("wrong-key-0123456789", "/dashboard/compare");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        var right = await Login(GatewayFixture.Key, "/dashboard/compare");
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/dashboard/compare", right.Headers.Location!.OriginalString);
        var cookie = Assert.Single(right.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync("/dashboard/runs", cookie: cookie.Split(';')[0])).StatusCode);

        foreach (var elsewhere in new[] { "https://example.org/", "//example.org/x", "/dashboard/..//example.org" })
            Assert.Equal("/dashboard/runs", (await Login(GatewayFixture.Key, elsewhere)).Headers.Location!.OriginalString);
    }
}
