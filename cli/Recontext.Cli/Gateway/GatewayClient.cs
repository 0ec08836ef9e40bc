using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Recontext.Cli.Gateway;

/// <summary>
/// The command line's side of the gateway's REST API. The gateway's URL comes from <c>--gateway</c>, else
/// RECONTEXT_GATEWAY_URL, else http://127.0.0.1:8080; the key from <c>--api-key</c>, else RECONTEXT_API_KEY (needed
/// for calls that change runs, and for reads from a gateway that listens beyond loopback). A gateway that does not answer, or answers with an error, becomes a one-line message.
/// </summary>
public sealed class GatewayClient : IDisposable
{
    public const string Options = "--gateway";
    public const string KeyOption = "--api-key";

    readonly HttpClient http;
    readonly string? key;

    public Uri Address { get; }

    GatewayClient(Uri address, string? key)
    {
        Address = address;
        this.key = key;
        http = new HttpClient { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
        // Reads carry the key too when there is one: a gateway listening beyond loopback serves reads to key holders only.
        if (key is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    /// <param name="url">--gateway, else RECONTEXT_GATEWAY_URL, else http://127.0.0.1:8080</param>
    /// <param name="key">--api-key, else RECONTEXT_API_KEY</param>
    public static GatewayClient From(string? url, string? key)
    {
        url ??= Environment.GetEnvironmentVariable("RECONTEXT_GATEWAY_URL") ?? "http://127.0.0.1:8080";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
            throw new CliUsageException($"--gateway must be an http(s):// URL, got '{url}'");
        return new GatewayClient(address, key ?? Environment.GetEnvironmentVariable("RECONTEXT_API_KEY"));
    }

    /// <summary>A client of a gateway this process knows (one it started).</summary>
    public static GatewayClient Of(Uri address, string? key) => new(address, key);

    public Task<JsonElement> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public Task<JsonElement> PostAsync(string path, string? body = null) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : new StringContent(body) }, mutating: true);

    /// <summary>Lines of a streamed answer (the run's events), as they arrive.</summary>
    public async IAsyncEnumerable<JsonElement> StreamAsync(string path, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation = default)
    {
        using var response = await Reach(() => http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, cancellation));
        await ThrowIfFailed(response);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellation));
        while (await reader.ReadLineAsync(cancellation) is { } line)
            if (line.Length > 0) yield return JsonDocument.Parse(line).RootElement.Clone();
    }

    async Task<JsonElement> SendAsync(HttpRequestMessage request, bool mutating = false)
    {
        using (request)
        {
            if (mutating && key is null) throw new GatewayException($"this call changes runs: give the gateway's API key with {KeyOption} KEY (or RECONTEXT_API_KEY)");
            using var response = await Reach(() => http.SendAsync(request));
            await ThrowIfFailed(response);
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }
    }

    async Task<HttpResponseMessage> Reach(Func<Task<HttpResponseMessage>> call)
    {
        try
        {
            return await call();
        }
        catch (HttpRequestException e)
        {
            throw new GatewayException($"no gateway answered at {Address} ({e.Message}); start one with `recontext serve gateway` or give {Options} URL");
        }
    }

    static async Task ThrowIfFailed(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode) return;
        string detail;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            detail = problem.TryGetProperty("detail", out var d) ? d.GetString() ?? "" : problem.ToString();
        }
        catch (JsonException)
        {
            detail = response.ReasonPhrase ?? "";
        }
        throw new GatewayException(response.StatusCode == HttpStatusCode.Unauthorized ? $"the gateway refused the API key: {detail}" : detail);
    }

    public void Dispose() => http.Dispose();
}

/// <summary>What the gateway said no to (or that it did not answer), as the one line the command prints.</summary>
public sealed class GatewayException(string message) : Exception(message);
