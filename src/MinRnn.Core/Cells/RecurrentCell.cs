using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Cells;

/// <summary>The one contract every cell meets: Forward(x (B, T, d), state or null) → (y (B, T, d), final state).
/// Feeding x in pieces with the state carried gives the same y as one call; ONNX export and the explainers read it.</summary>
public abstract class RecurrentCell : nn.Module<Tensor, CellState?, (Tensor Output, CellState State)>
{
    protected RecurrentCell(string name) : base(name) { }

    /// <summary>Width of the recurrent state H.</summary>
    public abstract long StateSize { get; }

    /// <summary>The zero state for a batch, on the cell's device and dtype.</summary>
    public virtual CellState ZeroState(long batch) => new(Zeros(batch));

    protected Tensor Zeros(long batch)
    {
        var w = parameters().First();
        return zeros(batch, StateSize, dtype: w.dtype, device: w.device);
    }
}
