using System.Diagnostics;
using Recontext.Judge.Host;
using Recontext.Recontextualizer.Host;
using Recontext.TestSupport;

namespace Recontext.Services.Tests;

/// <summary>A service's start-up: it fails in seconds naming the setting when its broker is missing or silent, and
/// once up it answers both probes (<c>/alive</c> for liveness, <c>/health</c> for readiness).</summary>
[Collection(ServicesCollection.Name)]
public sealed class HostStartupTests
{
    readonly RabbitMqTestBroker broker = new();

    [Fact]
    public void AServiceWhoseBrokerDoesNotAnswerFailsInSecondsNamingTheBus()
    {
        // A loopback port that nothing listens on: the connection is refused at once.
        int port = UnusedPort.Next();

        var watch = Stopwatch.StartNew();
        var silent = Assert.Throws<ArgumentException>(() => JudgeHost.Build(["--bus", $"rabbitmq://127.0.0.1:{port}/", "--urls", "http://127.0.0.1:0"]));
        Assert.StartsWith($"bus: no RabbitMQ at 127.0.0.1:{port}", silent.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");

        if (Environment.GetEnvironmentVariable("RECONTEXT_BUS_URL") is null)   // else the host reads its broker from there
        {
            var missing = Assert.Throws<ArgumentException>(() => RecontextualizerHost.Build(["--urls", "http://127.0.0.1:0"]));
            Assert.StartsWith("bus: give the RabbitMQ broker with --bus", missing.Message);
        }
        var malformed = Assert.Throws<ArgumentException>(() => RecontextualizerHost.Build(["--bus", "http://127.0.0.1:5672/"]));
        Assert.StartsWith("bus must be a rabbitmq://", malformed.Message);
    }

    [Fact]
    public async Task AServiceAnswersTheLivenessAndTheReadinessProbe()
    {
        await using var judge = await ServiceHost.StartAsync(JudgeHost.Build, broker.Url);
        Assert.Equal("Healthy", await judge.Http.GetStringAsync("/alive"));
        Assert.Equal("Healthy", await judge.Http.GetStringAsync("/health"));
    }
}
