using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MinRnn.Models;

/// <summary>Embedding → L × Block → RMSNorm → Linear head (no bias), as in the official minRNN code.
/// Forward(tokens (B, T) int64, state or null) → (logits (B, T, vocab), state after the last token).</summary>
public sealed class SequenceModel : nn.Module<Tensor, BlockState[]?, (Tensor Logits, BlockState[] State)>
{
    private readonly Embedding embedding;
    private readonly ModuleList<Block> blocks;
    private readonly Layers.RmsNorm norm;
    private readonly Linear head;

    public SequenceModel(ModelConfig config) : base(nameof(SequenceModel))
    {
        config.Validate();
        Config = config;
        embedding = nn.Embedding(config.Vocab, config.Dim);
        blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new Block(config)).ToArray());
        norm = new Layers.RmsNorm(config.Dim);
        head = nn.Linear(config.Dim, config.Vocab, hasBias: false);
        RegisterComponents();
    }

    public ModelConfig Config { get; }

    public IReadOnlyList<Block> Blocks => [.. blocks];

    public long ParameterCount => parameters().Sum(p => p.numel());

    public override (Tensor Logits, BlockState[] State) forward(Tensor tokens, BlockState[]? state)
    {
        if (state is not null && state.Length != blocks.Count)
            throw new ArgumentException($"state has {state.Length} layers, the model has {blocks.Count}");
        var x = embedding.call(tokens);                                 // (B, T, d)
        var next = new BlockState[blocks.Count];
        for (var l = 0; l < blocks.Count; l++)
            (x, next[l]) = blocks[l].call(x, state?[l]);
        return (head.call(norm.call(x)), next);
    }

    /// <summary>Logits only, from the zero state.</summary>
    public Tensor Logits(Tensor tokens) => forward(tokens, null).Logits;
}
