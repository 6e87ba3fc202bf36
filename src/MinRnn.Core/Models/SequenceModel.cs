using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MinRnn.Models;

/// <summary>Input layer → L × Block → RMSNorm → Linear head (no bias), as in the official minRNN code. The input layer is
/// an embedding of token ids (B, T) int64, or, with ModelConfig.Features = F, a linear projection of standardised numeric
/// steps (B, T, F): x = W((s − mean) / std) + b, mean and std carried as buffers so every runtime applies them.
/// Forward(inputs, state or null) → (logits (B, T, vocab), state after the last step).</summary>
public sealed class SequenceModel : nn.Module<Tensor, BlockState[]?, (Tensor Logits, BlockState[] State)>
{
    private readonly Embedding? embedding;
    private readonly Linear? input_projection;
    // (F) each; persistent buffers (state dict, checkpoints, safetensors), replaced by Module.to(device or dtype)
    private Tensor? input_mean;
    private Tensor? input_std;
    private readonly ModuleList<Block> blocks;
    private readonly Layers.RmsNorm norm;
    private readonly Linear head;

    public SequenceModel(ModelConfig config) : base(nameof(SequenceModel))
    {
        config.Validate();
        Config = config;
        if (config.Features is { } features)
        {
            input_projection = nn.Linear(features, config.Dim, hasBias: true);
            input_mean = zeros(features);
            input_std = ones(features);
        }
        else
            embedding = nn.Embedding(config.Vocab, config.Dim);
        blocks = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new Block(config)).ToArray());
        norm = new Layers.RmsNorm(config.Dim);
        head = nn.Linear(config.Dim, config.Vocab, hasBias: false);
        RegisterComponents();
    }

    public ModelConfig Config { get; }

    public IReadOnlyList<Block> Blocks => [.. blocks];

    /// <summary>Trainable parameters; the standardisation buffers are not among them.</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    public override (Tensor Logits, BlockState[] State) forward(Tensor inputs, BlockState[]? state) =>
        ForwardEmbeddings(Embed(inputs), state);

    /// <summary>The input layer's output (B, T, d): the embedding of token ids (B, T) int64, or for a numeric model the
    /// projection of standardised features (B, T, F) floating point. An input of the other form is an ArgumentException.</summary>
    public Tensor Embed(Tensor inputs)
    {
        if (input_projection is null)
        {
            if (inputs.dim() != 2 || inputs.is_floating_point() || inputs.dtype == ScalarType.Bool)
                throw new ArgumentException($"inputs: the model reads token ids (B, T) int64, got {Describe(inputs)}");
            return embedding!.call(inputs);
        }
        if (inputs.dim() != 3 || !inputs.is_floating_point() || inputs.shape[2] != Config.Features)
            throw new ArgumentException($"inputs: the model reads numeric steps (B, T, {Config.Features}) float32, got {Describe(inputs)}");
        return input_projection.call((inputs.to(input_mean!.dtype) - input_mean) / input_std!);
    }

    /// <summary>The per-feature mean and standard deviation the numeric input is standardised with (both length F). A
    /// feature that is constant in the training rows has standard deviation 0; the caller passes 1 for it (LabelledTask),
    /// so it enters as its difference from the mean, 0 on those rows, instead of a division by zero.</summary>
    public void SetStandardisation(float[] mean, float[] std)
    {
        if (input_mean is null || input_std is null)
            throw new InvalidOperationException("SetStandardisation: the model reads tokens, not numeric steps");
        if (mean.Length != Config.Features || std.Length != Config.Features)
            throw new ArgumentException($"standardisation: needs {Config.Features} means and standard deviations, got {mean.Length} and {std.Length}");
        if (mean.Any(m => !float.IsFinite(m)))
            throw new ArgumentException("standardisation: every mean must be finite");
        if (std.Any(s => !(s > 0) || !float.IsFinite(s)))
            throw new ArgumentException("standardisation: every standard deviation must be finite and > 0 (a constant feature gets 1)");
        using var _ = no_grad();
        input_mean.copy_(tensor(mean));
        input_std.copy_(tensor(std));
    }

    /// <summary>The standardisation (mean, std) of a numeric model, float32 on the CPU; null for a token model.</summary>
    public (float[] Mean, float[] Std)? Standardisation =>
        input_mean is null || input_std is null ? null
            : (input_mean.detach().cpu().to_type(ScalarType.Float32).data<float>().ToArray(),
               input_std.detach().cpu().to_type(ScalarType.Float32).data<float>().ToArray());

    /// <summary>The forward pass from the input layer's output x (B, T, d), so gradients can reach it (attribution
    /// methods); Forward(inputs) = ForwardEmbeddings(Embed(inputs)).</summary>
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
    public Tensor Logits(Tensor inputs) => forward(inputs, null).Logits;

    private static string Describe(Tensor t) => $"{t.dtype} of shape [{string.Join(", ", t.shape)}]";
}
