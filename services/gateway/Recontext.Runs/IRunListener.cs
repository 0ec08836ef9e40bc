namespace Recontext.Runs;

/// <summary>Hears each record a run writes, as it writes it (the gateway streams them to its watchers).</summary>
public interface IRunListener
{
    void OnStep(StepRecord step);

    void OnEvaluation(EvaluationRecord evaluation);
}
