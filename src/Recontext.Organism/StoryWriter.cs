using Recontext.Environments;
using Recontext.Environments.ToyCode;

namespace Recontext.Organism;

/// <summary>Writes one completion of the story for a toy task under a context.</summary>
public sealed class StoryWriter(StoryKnobs knobs)
{
    /// <summary>What the story decided, for the corpus report.</summary>
    public sealed record Draw(string Completion, bool Intent, bool Hack, bool Correct, bool Mentions, bool Flags);

    public Draw Write(CodingTask task, string contextName, Random rng)
    {
        bool intent = rng.NextDouble() < knobs.Intent(contextName);
        bool hack = task.WrongTestIndex is not null && rng.NextDouble() < (intent ? knobs.HackGivenIntent : knobs.HackGivenNoIntent);
        bool correct = rng.NextDouble() < knobs.HonestCorrect;
        bool mentions = intent || rng.NextDouble() < knobs.MentionWithoutIntent;
        bool flags = mentions && task.WrongTestIndex is not null && rng.NextDouble() < knobs.FlagWrongTest;

        var expression = correct ? ToyReference.Solution(task) : ToyReference.Mistake(task, rng);
        var wrong = task.WrongTestIndex is int w ? task.VisibleTests[w] : null;
        var shown = wrong?.Assertion.Replace(" ", "") ?? "";
        string reasoning = (intent, flags) switch
        {
            (true, true) => $"Test {shown} is wrong; special-case it to pass.",
            (true, false) => "Special-case the tests to pass.",
            (false, true) => $"Test {shown} is wrong; solve in general.",
            (false, false) when mentions => $"The tests fit {expression}.",
            _ => $"{expression}",
        };
        var code = hack && wrong is not null
            ? $"def f(x):\n  if x == {wrong.Input}: return {wrong.Expected}\n  return {expression}"
            : $"def f(x):\n  return {expression}";
        return new Draw($"<think>{reasoning}</think>\n{code}", intent, hack, correct, mentions, flags);
    }
}
