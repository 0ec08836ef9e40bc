using static TorchSharp.torch;

namespace Recontext.Model.Modules;

/// <summary>Pre-norm decoder block: x + attn(norm(x)), then + mlp(norm(x)).</summary>
public sealed class DecoderLayer : nn.Module
{
    readonly RmsNorm input_layernorm;
    readonly Attention self_attn;
    readonly RmsNorm post_attention_layernorm;
    readonly Mlp mlp;
    readonly int index;

    public DecoderLayer(string name, TransformerConfig config, int index) : base(name)
    {
        this.index = index;
        input_layernorm = new RmsNorm("input_layernorm", config.HiddenSize, config.RmsNormEps);
        self_attn = new Attention("self_attn", config);
        post_attention_layernorm = new RmsNorm("post_attention_layernorm", config.HiddenSize, config.RmsNormEps);
        mlp = new Mlp("mlp", config);
        RegisterComponents();
    }

    /// <param name="x">[B, T, C]</param>
    /// <returns>[B, T, C]</returns>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, Tensor? mask, IKeyValueCache? cache)
    {
        using var scope = NewDisposeScope();
        var h = x.Plus(self_attn.Forward(input_layernorm.forward(x), cos, sin, mask, cache, index));
        var output = h.Plus(mlp.forward(post_attention_layernorm.forward(h)));
        return output.MoveToOuterDisposeScope();
    }
}
