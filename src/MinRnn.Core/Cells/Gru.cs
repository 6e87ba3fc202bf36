using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MinRnn.Cells;

/// <summary>GRU baseline: TorchSharp's nn.GRU (cuDNN/oneDNN kernels) behind the cell contract.
/// r = σ(W_ir x + W_hr h), z = σ(W_iz x + W_hz h), n = tanh(W_in x + r ⊙ (W_hn h + b_hn)), h' = (1 − z) ⊙ n + z ⊙ h.</summary>
public sealed class Gru : RecurrentCell
{
    private readonly GRU rnn;
    private readonly Linear? to_out;
    private readonly long inner;

    public Gru(CellOptions options) : base(nameof(Gru))
    {
        inner = options.Inner;
        rnn = nn.GRU(options.Dim, inner, batchFirst: true);
        to_out = options.Expansion != 1.0 ? nn.Linear(inner, options.Dim, hasBias: false) : null;
        RegisterComponents();
    }

    public override long StateSize => inner;

    /// <summary>The wrapped nn.GRU, for export and tests.</summary>
    public GRU Rnn => rnn;

    public override (Tensor Output, CellState State) forward(Tensor x, CellState? state)
    {
        using var scope = NewDisposeScope();
        var (h, hN) = rnn.call(x, state?.H.unsqueeze(0));               // h: (B, T, inner), hN: (1, B, inner)
        var y = to_out is null ? h : to_out.call(h);
        return (y.MoveToOuterDisposeScope(), new CellState(hN.squeeze(0)).MoveToOuterDisposeScope());
    }
}
