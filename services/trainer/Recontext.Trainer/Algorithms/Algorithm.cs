namespace Recontext.Trainer.Algorithms;

/// <summary>Which update a run's trainer applies to each training batch.</summary>
public enum Algorithm
{
    Grpo,
    ExpertIteration,
    Sft,
    Distillation,
}
