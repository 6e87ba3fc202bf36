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

    public override (Tensor Logits, BlockState[] State) forward(Tensor tokens, BlockState[]? state) =>
        ForwardEmbeddings(Embed(tokens), state);

    /// <summary>Token embeddings (B, T, d) of tokens (B, T) int64.</summary>
    public Tensor Embed(Tensor tokens) => embedding.call(tokens);

    /// <summary>The forward pass from embeddings x (B, T, d) instead of tokens, so gradients can reach the input
    /// (attribution methods); Forward(tokens) = ForwardEmbeddings(Embed(tokens)).</summary>
    public (Tensor Logits, BlockState[] State) ForwardEmbeddings(Tensor x, BlockState[]? state)
    {
        if (state is not null && state.Length != blocks.Count)
            throw new ArgumentException($"state has {state.Length} layers, the model has {blocks.Count}");
        var next = new BlockState[blocks.Count];
        for (var l = 0; l < blocks.Count; l++)
            (x, next[l]) = blocks[l].call(x, state?[l]);
        return (Readout(x), next);
    }

    /// <summary>Logits (B, T, vocab) from the residual stream after the last block: Linear(RMSNorm(x)).</summary>
    public Tensor Readout(Tensor x) => head.call(norm.call(x));

    /// <summary>Logits only, from the zero state.</summary>
    public Tensor Logits(Tensor tokens) => forward(tokens, null).Logits;
}
