using Recontext.Model.Lora;
using Recontext.Model.Modules;
using static TorchSharp.torch;

namespace Recontext.Model.Training;

/// <summary>
/// The frozen model a KL term or a distillation teacher reads: a copy of the start checkpoint, or, when the policy
/// trains LoRA adapters, the policy itself with its adapters switched off, so that no second copy of the weights is
/// held. Either way it runs without gradients.
/// </summary>
public sealed class ReferencePolicy : IDisposable
{
    readonly CausalLm model;
    readonly LoraAdapters? adapters;

    ReferencePolicy(CausalLm model, LoraAdapters? adapters) => (this.model, this.adapters) = (model, adapters);

    /// <summary>A frozen copy (the reference owns and disposes it).</summary>
    public static ReferencePolicy Copy(CausalLm frozen)
    {
        frozen.eval();
        return new ReferencePolicy(frozen, null);
    }

    /// <summary>The base under <paramref name="adapters"/>: the policy with its adapters off.</summary>
    public static ReferencePolicy BaseOf(CausalLm policy, LoraAdapters adapters) => new(policy, adapters);

    /// <summary>Runs <paramref name="work"/> on the reference, without gradients.</summary>
    public T Run<T>(Func<CausalLm, T> work)
    {
        using var noGrad = no_grad();
        if (adapters is null) return work(model);
        using var baseOnly = adapters.UseBase();
        return work(model);
    }

    public void Dispose()
    {
        if (adapters is null) model.Dispose();
    }
}
