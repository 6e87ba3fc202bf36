using static TorchSharp.torch;

namespace MinRnn.Cells;

/// <summary>The recurrent state a cell carries between calls: H is (B, H); C is the LSTM cell state (B, H) or null.</summary>
public sealed record CellState(Tensor H, Tensor? C = null)
{
    public CellState Detach() => new(H.detach(), C?.detach());

    public CellState MoveToOuterDisposeScope() => new(H.MoveToOuterDisposeScope(), C?.MoveToOuterDisposeScope());
}
