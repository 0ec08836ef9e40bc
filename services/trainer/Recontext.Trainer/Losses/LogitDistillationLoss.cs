using Recontext.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Recontext.Trainer.Losses;

/// <summary>Context distillation by logits: KL(π_frozen(·|f_gen) ‖ π_θ(·|f_train)) over completion tokens.</summary>
public static class LogitDistillationLoss
{
    /// <param name="teacherLogProbs">[B, T, V] log-softmax of the frozen model under f_gen</param>
    /// <param name="studentLogProbs">[B, T, V] log-softmax of the policy under f_train (differentiable)</param>
    /// <param name="mask">[B, T]</param>
    /// <returns>scalar: Σ_t mask · Σ_v p_teacher (log p_teacher − log p_student) / Σ mask</returns>
    public static Tensor Compute(Tensor teacherLogProbs, Tensor studentLogProbs, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var teacher = teacherLogProbs.detach();
        var perToken = (teacher.exp() * (teacher - studentLogProbs)).sum(-1);              // [B, T]
        return ((perToken * mask).sum() / mask.sum().clamp_min(Scalars.One)).MoveToOuterDisposeScope();
    }
}
