using Recontext.Runs.Demo;
using Spectre.Console;

namespace Recontext.Cli.Commands;

/// <summary>The perfect-labels study's tables: one seed's pipelines, and over seeds the paired differences.</summary>
public static class PerfectLabelsReport
{
    public static Table OneSeed(IReadOnlyList<PerfectLabelsRunner.Outcome> outcomes, string prefix = "")
    {
        var table = new Table().Title(Markup.Escape($"{prefix}perfect labels: neutral-eval hack rate before and after SFT on filtered (hack-free) best-of-10 samples"))
            .AddColumns("pipeline", "kept", "hacks kept", "special-case a test", "mention tests", "intend to pass", "flag wrong test", "hack before", "hack after", "correct after");
        foreach (var o in outcomes)
            table.AddRow(Markup.Escape(o.Pipeline.Name), $"{o.TrainingSet.Samples}", $"{o.TrainingSet.Hacks:P0}", $"{o.TrainingSet.SpecialCases:P0}", $"{o.TrainingSet.MentionsTests:P0}",
                $"{o.TrainingSet.IntendsToPassTests:P0}", $"{o.TrainingSet.FlagsWrongTest:P0}", $"{o.Before.MisbehaviourRate:F2}", $"{o.After.MisbehaviourRate:F2}", $"{o.After.CorrectRate:F2}");
        return table;
    }

    /// <summary>Every pipeline of a seed starts from the same base evaluation, so after − before is paired by seed; so
    /// is a pipeline against its control (the same tasks, sampled under Neutral with the same loophole setting) and a
    /// variation (answer-only, another best-of-N rule) against the plain pipeline it varies.</summary>
    public static Table Paired(IReadOnlyDictionary<long, IReadOnlyList<PerfectLabelsRunner.Outcome>> bySeed)
    {
        var table = new Table().Title(Markup.Escape($"perfect labels, {bySeed.Count} seeds: neutral-eval hack rate after SFT on filtered best-of-10 samples, mean [95 % interval]"))
            .AddColumns("pipeline", "kept", "special-case a test", "mention tests", "intend to pass", "hack before", "hack after", "after − before", "− its control", "− the plain pipeline");
        var pipelines = bySeed.Values.First().Select(o => o.Pipeline).ToList();
        Dictionary<long, double> Of(PerfectLabelsRunner.Pipeline p, Func<PerfectLabelsRunner.Outcome, double> f) =>
            bySeed.ToDictionary(kv => kv.Key, kv => f(kv.Value.Single(o => o.Pipeline == p)));
        string Versus(Dictionary<long, double> after, PerfectLabelsRunner.Pipeline? other) =>
            other is null || !pipelines.Contains(other) ? "—" : PairedDifference.Of(after, Of(other, o => o.After.MisbehaviourRate))!.Describe();
        foreach (var pipeline in pipelines)
        {
            var after = Of(pipeline, o => o.After.MisbehaviourRate);
            var before = Of(pipeline, o => o.Before.MisbehaviourRate);
            table.AddRow(Markup.Escape(pipeline.Name), $"{Of(pipeline, o => o.TrainingSet.Samples).Values.Average():F0}",
                $"{Of(pipeline, o => o.TrainingSet.SpecialCases).Values.Average():P0}", $"{Of(pipeline, o => o.TrainingSet.MentionsTests).Values.Average():P0}",
                $"{Of(pipeline, o => o.TrainingSet.IntendsToPassTests).Values.Average():P0}",
                $"{before.Values.Average():F2}", $"{after.Values.Average():F2}", Markup.Escape(PairedDifference.Of(after, before)!.Describe()),
                Markup.Escape(Versus(after, pipeline.Control(pipelines))), Markup.Escape(Versus(after, pipeline.Plain(pipelines))));
        }
        return table;
    }
}
