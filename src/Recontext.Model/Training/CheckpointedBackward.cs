using Recontext.Model.Modules;
using Recontext.Model.Scoring;
using static TorchSharp.torch;

namespace Recontext.Model.Training;

/// <summary>
/// Activation checkpointing per decoder layer, run as two explicit passes rather than inside the autograd engine:
/// <list type="number">
/// <item>a forward pass without gradients keeps only each layer's input state (a few [rows, T, C] tensors);</item>
/// <item>the head and the loss run on the last layer's output, made a leaf, and are backpropagated to it;</item>
/// <item>from the last layer down, each layer is recomputed from its kept input (made a leaf) and backpropagated with
/// the gradient that arrived at its output, which accumulates its weights' gradients and yields the gradient at its
/// input for the layer below; last, the embeddings.</item>
/// </list>
/// The gradients equal one backward pass through the whole graph (tested), while only one layer's activations and
/// the kept states are alive at once. Recomputing costs a second forward pass. Dropout draws from the model's
/// <see cref="CausalLm.DropoutGenerator"/>, replayed per layer so that a recomputed layer drops the same units.
/// Unlike a custom autograd function, nothing here re-enters the autograd engine from a callback.
/// </summary>
public static class CheckpointedBackward
{
    /// <param name="loss">the loss of the predicting hidden states ([B, Tc, C]); runs once, in the caller's dispose scope</param>
    public static void Run(CausalLm model, ISequenceLayout layout, Func<Tensor, Tensor> loss)
    {
        int layers = model.Body.LayerCount;
        using var pass = layout.Pass(model);
        var random = model.DropoutGenerator;
        var states = new IReadOnlyList<Tensor>[layers + 1];
        var randomStates = new Tensor?[layers];
        Tensor? randomAfter = null;
        try
        {
            using (no_grad())
            {
                states[0] = Kept(pass.Embed());
                for (int i = 0; i < layers; i++)
                {
                    randomStates[i] = random?.get_state();
                    using var scope = NewDisposeScope();
                    states[i + 1] = Kept(pass.Layer(i, states[i]));
                }
                randomAfter = random?.get_state();
            }

            // The head and the loss run in the caller's dispose scope, as they would without checkpointing, so that
            // what the loss keeps (scores for metrics) is the caller's.
            var lastLeaves = Leaves(states[layers]);
            loss(pass.Predicting(lastLeaves)).backward();
            var gradients = Gradients(lastLeaves);
            for (int i = layers - 1; i >= 0; i--)
            {
                if (randomStates[i] is { } state) random!.set_state(state);
                var above = gradients;
                gradients = Backward(states[i], leaves => pass.Layer(i, leaves), above);
                Dispose(above);
                Dispose(states[i + 1]);
            }
            if (model.Body.EmbeddingWeight.requires_grad)
            {
                using var scope = NewDisposeScope();
                autograd.backward(pass.Embed().ToList(), gradients.ToList());
            }
            Dispose(gradients);
        }
        finally
        {
            foreach (var state in states) if (state is not null) Dispose(state);
            foreach (var state in randomStates) state?.Dispose();
            if (randomAfter is not null)
            {
                random!.set_state(randomAfter);
                randomAfter.Dispose();
            }
        }
    }

    /// <summary>Runs <paramref name="step"/> on leaf copies of <paramref name="inputs"/> and backpropagates
    /// <paramref name="outputGradients"/> through it.</summary>
    /// <returns>the gradients at the inputs, kept past every dispose scope</returns>
    static Tensor[] Backward(IReadOnlyList<Tensor> inputs, Func<IReadOnlyList<Tensor>, IReadOnlyList<Tensor>> step, Tensor[] outputGradients)
    {
        using var scope = NewDisposeScope();
        var leaves = Leaves(inputs);
        autograd.backward(step(leaves).ToList(), outputGradients);
        return Gradients(leaves);
    }

    /// <summary>The leaves' gradients, kept past every dispose scope. A state unused by the loss (none today) would get
    /// none: zeros keep the chain going.</summary>
    static Tensor[] Gradients(Tensor[] leaves) =>
        leaves.Select(l => (l.grad is { } g ? g.clone() : zeros_like(l)).DetachFromDisposeScope()).ToArray();

    /// <summary>Copies of a kept state that gradients stop at (and are read from).</summary>
    static Tensor[] Leaves(IReadOnlyList<Tensor> state) => state.Select(x => x.detach().requires_grad_(true)).ToArray();

    static Tensor[] Kept(IReadOnlyList<Tensor> state) => state.Select(t => t.DetachFromDisposeScope()).ToArray();

    static void Dispose(IReadOnlyList<Tensor> tensors)
    {
        foreach (var t in tensors) t.Dispose();
    }
}
