namespace Recontext.Gateway.Tests;

/// <summary>The standalone gateway host carries no libtorch: it starts only when the roles that need it are services.</summary>
public class GatewayOptionsTests
{
    const string Keys = "0123456789abcdef0123";

    [Fact]
    public void AGatewayWithoutLibtorchNeedsTheGeneratorAndTrainerAsServices()
    {
        Dictionary<string, string?> settings = new() { ["api-keys"] = Keys };
        var error = Assert.Throws<ArgumentException>(() => GatewayOptions.From(k => settings.GetValueOrDefault(k), torch: false));
        Assert.StartsWith("remote: this gateway carries no libtorch, so the generator and the trainer must be services", error.Message);

        // With libtorch (the command line's `serve gateway`) every role may run inside it.
        Assert.True(GatewayOptions.From(k => settings.GetValueOrDefault(k)).Torch);
    }
}

/// <summary>Who may read runs: open on loopback, key-only once the gateway listens beyond the machine.</summary>
public class ReadAccessOptionsTests
{
    const string Keys = "0123456789abcdef0123";

    static GatewayOptions With(params (string Key, string Value)[] more)
    {
        var settings = new Dictionary<string, string?> { ["api-keys"] = Keys };
        foreach (var (key, value) in more) settings[key] = value;
        return GatewayOptions.From(k => settings.GetValueOrDefault(k));
    }

    [Fact]
    public void ReadsAreOpenOnLoopbackOnlyUnlessSaidOtherwise()
    {
        Assert.True(With().OpenReads);
        Assert.True(With(("urls", "http://127.0.0.1:8080;http://localhost:9000;http://[::1]:8080")).OpenReads);
        Assert.False(With(("urls", "http://0.0.0.0:8080")).OpenReads);
        Assert.False(With(("urls", "http://127.0.0.1:8080;http://*:8081")).OpenReads);
        Assert.False(With(("urls", "http://+:8080")).OpenReads);
        Assert.False(With(("urls", "http://10.1.2.3:8080")).OpenReads);
        Assert.False(With(("grpc-url", "http://0.0.0.0:8090")).OpenReads);
        Assert.True(With(("urls", "http://0.0.0.0:8080"), ("reads", "open")).OpenReads);
        Assert.False(With(("reads", "key")).OpenReads);
        var error = Assert.Throws<ArgumentException>(() => With(("reads", "everyone")));
        Assert.StartsWith("reads: give 'open'", error.Message);
    }

    [Fact]
    public void AGatewayWithoutKeysOnlyReadsAndOnlyOnLoopback()
    {
        Assert.Empty(GatewayOptions.From(_ => null).ApiKeys);
        var error = Assert.Throws<ArgumentException>(() => GatewayOptions.From(k => k == "urls" ? "http://0.0.0.0:8080" : null));
        Assert.StartsWith("api-keys: a gateway whose reads need a key", error.Message);
    }
}
