using System.Text.Json.Serialization;
using MinRnn.Cells;
using MinRnn.Scans;

namespace MinRnn.Models;

/// <summary>Everything that defines a SequenceModel; serialised to JSON with every checkpoint.</summary>
/// <param name="Cell">A cell kind name (Cells/CellKinds.cs).</param>
/// <param name="Layers">Number of residual blocks L.</param>
/// <param name="Vocab">Vocabulary size: the head's outputs, and the embedding's inputs when the model reads tokens (a forecast's
/// head has one output per step ahead).</param>
/// <param name="Dim">Model width d.</param>
/// <param name="Expansion">Cell expansion factor e (inner width d · e).</param>
/// <param name="ConvKernel">Causal depthwise conv before each cell; 0 = off.</param>
/// <param name="FeedForwardMult">GEGLU feed-forward after each cell with inner width d · mult; 0 = off.</param>
/// <param name="Scan">How min cells evaluate the recurrence (same function either way).</param>
/// <param name="NormalizeGates">minLSTM gate normalisation f/(f+i), i/(f+i).</param>
/// <param name="ForgetBias">minLSTM initial forget-gate bias; 0 = no bias.</param>
/// <param name="StateSize">Mamba's state size N per channel; null = the default (CellOptions). Other kinds: must be null.</param>
/// <param name="Heads">Transformer attention heads; null = the default (CellOptions). Other kinds: must be null.</param>
/// <param name="ParamsTarget">The parameter count N that Dim was chosen for (`--params`, ParameterMatch); null = Dim was given.</param>
/// <param name="Features">F numeric features per step: the model reads (B, T, F) floats through a linear input projection
/// (docs/OWN_DATA.md, "Numeric steps"); null = token ids through the embedding.</param>
public sealed record ModelConfig(
    string Cell = "mingru",
    int Layers = 2,
    int Vocab = 16,
    int Dim = 64,
    double Expansion = 1.0,
    int ConvKernel = 0,
    double FeedForwardMult = 0,
    [property: JsonConverter(typeof(JsonStringEnumConverter<ScanMode>))] ScanMode Scan = ScanMode.Auto,
    bool NormalizeGates = true,
    double ForgetBias = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? StateSize = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Heads = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? ParamsTarget = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Features = null)
{
    public CellOptions CellOptions =>
        new(Dim, Expansion, Scan, NormalizeGates, ForgetBias, StateSize ?? CellOptions.DefaultStateSize, Heads ?? CellOptions.DefaultHeads);

    /// <summary>This config with the defaults of the kind's own options written out (Mamba's state size, the transformer's
    /// heads), so a file that carries it needs no MinRnn defaults to be read; the other kinds keep them null.</summary>
    public ModelConfig Resolved()
    {
        var options = CellKinds.Get(Cell).Options;
        return this with
        {
            StateSize = options.HasFlag(CellOption.StateSize) ? CellOptions.StateSize : null,
            Heads = options.HasFlag(CellOption.Heads) ? CellOptions.Heads : null,
        };
    }

    /// <summary>The cell for one block, by kind name (Cells/CellKinds.cs).</summary>
    public RecurrentCell CreateCell() => CellKinds.Get(Cell).Create(CellOptions);

    /// <summary>Throws ArgumentException naming the first invalid field.</summary>
    public void Validate()
    {
        var kind = CellKinds.Find(Cell) ?? throw new ArgumentException($"cell: '{Cell}' is not one of {string.Join("|", CellKinds.Names)}");
        if (Layers < 1) throw new ArgumentException($"layers: must be ≥ 1 (got {Layers})");
        if (Vocab < (Features is null ? 2 : 1))                         // a numeric model's head may have one output (forecast, H = 1)
            throw new ArgumentException($"vocab: must be ≥ {(Features is null ? 2 : 1)} (got {Vocab})");
        if (Features < 1) throw new ArgumentException($"features: must be ≥ 1 (got {Features})");
        if (Dim < 1) throw new ArgumentException($"dim: must be ≥ 1 (got {Dim})");
        if (Expansion <= 0 || Math.Round(Dim * Expansion) < 1) throw new ArgumentException($"expansion: must give an inner width ≥ 1 (got {Expansion})");
        if (ConvKernel < 0 || ConvKernel == 1) throw new ArgumentException($"conv_kernel: must be 0 (off) or ≥ 2 (got {ConvKernel})");
        if (FeedForwardMult < 0) throw new ArgumentException($"feed_forward_mult: must be ≥ 0 (got {FeedForwardMult})");
        if (StateSize is not null && !kind.Options.HasFlag(CellOption.StateSize))
            throw new ArgumentException($"state_size: applies to {CellKinds.Taking(CellOption.StateSize)} only, not {Cell}");
        if (StateSize < 1) throw new ArgumentException($"state_size: must be ≥ 1 (got {StateSize})");
        if (Heads is not null && !kind.Options.HasFlag(CellOption.Heads))
            throw new ArgumentException($"heads: applies to {CellKinds.Taking(CellOption.Heads)} only, not {Cell}");
        if (kind.Options.HasFlag(CellOption.Heads))
        {
            var (heads, inner) = (CellOptions.Heads, CellOptions.Inner);
            if (heads < 1 || inner % heads != 0 || inner / heads % kind.HeadWidth != 0)
                throw new ArgumentException($"heads: must divide the inner width {inner} into heads" +
                                            (kind.HeadWidth == 2 ? " of even width (rotary embeddings)" : kind.HeadWidth > 1 ? $" of widths divisible by {kind.HeadWidth}" : "") +
                                            $", got {heads}");
        }
    }
}
