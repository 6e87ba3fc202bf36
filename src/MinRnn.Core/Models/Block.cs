using MinRnn.Cells;
using MinRnn.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Models;

/// <summary>The state of one block: the cell's state and, with a conv, its last k − 1 inputs.</summary>
public sealed record BlockState(CellState Cell, Tensor? Conv = null);

/// <summary>One residual block (docs/MODELS.md, "Block architecture"): [x = x + Conv(RMSNorm(x))], x = x + Cell(RMSNorm(x)),
/// [x = x + FF(RMSNorm(x))]; the bracketed parts are optional.</summary>
public sealed class Block : nn.Module<Tensor, BlockState?, (Tensor Output, BlockState State)>
{
    private readonly RmsNorm? conv_norm;
    private readonly CausalConv? conv;
    private readonly RmsNorm norm;
    private readonly RecurrentCell cell;
    private readonly RmsNorm? ff_norm;
    private readonly FeedForward? ff;

    public Block(ModelConfig config) : base(nameof(Block))
    {
        if (config.ConvKernel > 0)
            (conv_norm, conv) = (new RmsNorm(config.Dim), new CausalConv(config.Dim, config.ConvKernel));
        norm = new RmsNorm(config.Dim);
        cell = config.CreateCell();
        if (config.FeedForwardMult > 0)
            (ff_norm, ff) = (new RmsNorm(config.Dim), new FeedForward(config.Dim, config.FeedForwardMult));
        RegisterComponents();
    }

    public RecurrentCell Cell => cell;

    public override (Tensor Output, BlockState State) forward(Tensor x, BlockState? state)
    {
        var (y, next, _) = Trace(x, state);
        return (y, next);
    }

    /// <summary>The forward pass that also returns what the cell saw, RMSNorm(x) (B, T, d): explainers
    /// decompose the cell on it.</summary>
    public (Tensor Output, BlockState State, Tensor CellInput) Trace(Tensor x, BlockState? state)
    {
        Tensor? convState = null;
        if (conv is not null)
        {
            var (c, s) = conv.call(conv_norm!.call(x), state?.Conv);
            (x, convState) = (x + c, s);
        }
        var u = norm.call(x);
        var (y, cellState) = cell.call(u, state?.Cell);
        x = x + y;
        if (ff is not null)
            x = x + ff.call(ff_norm!.call(x));
        return (x, new BlockState(cellState, convState), u);
    }
}
