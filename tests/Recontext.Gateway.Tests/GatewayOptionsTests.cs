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
