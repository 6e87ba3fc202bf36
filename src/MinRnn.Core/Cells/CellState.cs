using static TorchSharp.torch;

namespace MinRnn.Cells;

/// <summary>The recurrent state a cell carries between calls: H is (B, H) for the RNNs, (B, inner, N) for Mamba and the
/// key–value cache (B, past, 2·inner) for the transformer; C is the LSTM cell state (B, H) or null; Conv is Mamba's causal
/// conv state, its last k − 1 conv inputs (B, k − 1, inner), or null.</summary>
public sealed record CellState(Tensor H, Tensor? C = null, Tensor? Conv = null)
{
    public CellState Detach() => new(H.detach(), C?.detach(), Conv?.detach());

    public CellState MoveToOuterDisposeScope() => new(H.MoveToOuterDisposeScope(), C?.MoveToOuterDisposeScope(), Conv?.MoveToOuterDisposeScope());
}
