using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Recontext.Store;
using Spectre.Console;

namespace Recontext.Cli.Gateway;

/// <summary>`recontext watch RUN`: a live progress bar from the run's event stream, each step's metrics and each
/// evaluation as they arrive; returns when the run ends (exit 1 when it failed).</summary>
public sealed class WatchCommand : GatewayCommand
{
    readonly Argument<string> run = RunArgument();

    protected override string Name => "watch";
    protected override string Description => "follow a gateway's run live: a progress bar, each step's metrics and each evaluation (exit 1 when it failed)";

    protected override void Configure(Command command) => command.Arguments.Add(run);

    protected override async Task<int> RunAsync(ParseResult parsed, GatewayClient gateway)
    {
        var id = parsed.GetValue(run)!;
        string status = "";
        string? error = null;
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var bar = ctx.AddTask(id, maxValue: 1);
                await foreach (var e in gateway.StreamAsync($"/api/runs/{Uri.EscapeDataString(id)}/events"))
                {
                    switch (Text(e, "kind"))
                    {
                        case "status":
                            status = Text(e, "status");
                            error = e.TryGetProperty("error", out var err) && err.ValueKind == JsonValueKind.String ? err.GetString() : null;
                            bar.Description = $"{id} {status}";
                            break;
                        case "progress":
                            bar.MaxValue = Math.Max(1, e.GetProperty("steps").GetInt32());
                            bar.Value = Math.Max(0, e.GetProperty("step").GetInt32() - 1);
                            bar.Description = $"{id} seed {Text(e, "seed")} step {Text(e, "step")}/{Text(e, "steps")} {Text(e, "phase")}";
                            break;
                        case "step":
                            var m = e.GetProperty("metrics");
                            AnsiConsole.MarkupLine($"seed {Text(e, "seed")} step {Text(e, "step")}: reward {F(m, "trainReward")}, hack {F(m, "hackRate")}, " +
                                                   $"correct {F(m, "correctRate")}, loss {F(m, "loss")}, kl {F(m, "kl")}, context gap {F(m, "contextGap")}");
                            break;
                        case "evaluation":
                            var r = e.GetProperty("evaluation").GetProperty("rates");
                            AnsiConsole.MarkupLine($"seed {Text(e, "seed")} evaluation after step {Text(e, "step")} under {Markup.Escape(Text(r, "context"))}: " +
                                                   $"hack {F(r, "hackRate")}, correct {F(r, "correctRate")}");
                            break;
                    }
                }
                bar.Value = bar.MaxValue;
            });
        Console.WriteLine($"{id}: {status}{(error is null ? "" : $": {error}")}");
        return RunStatuses.TryParse(status, out var final) && final == RunStatus.Failed ? 1 : 0;
    }

    static string F(JsonElement e, string name) => e.GetProperty(name).GetDouble().ToString("0.00", CultureInfo.InvariantCulture);
}
