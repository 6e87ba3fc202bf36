using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MinRnn.Cells;

/// <summary>LSTM baseline: TorchSharp's nn.LSTM behind the cell contract; the state carries h and c.</summary>
public sealed class Lstm : RecurrentCell
{
    private readonly LSTM rnn;
    private readonly Linear? to_out;
    private readonly long inner;

    public Lstm(CellOptions options) : base(nameof(Lstm))
    {
        inner = options.Inner;
        rnn = nn.LSTM(options.Dim, inner, batchFirst: true);
        to_out = options.Expansion != 1.0 ? nn.Linear(inner, options.Dim, hasBias: false) : null;
        RegisterComponents();
    }

    public override long StateSize => inner;

    /// <summary>The wrapped nn.LSTM, for export and tests.</summary>
    public LSTM Rnn => rnn;

    public override CellState ZeroState(long batch) => new(Zeros(batch), Zeros(batch));

    public override (Tensor Output, CellState State) forward(Tensor x, CellState? state)
    {
        using var scope = NewDisposeScope();
        var hc = state is null ? ((Tensor, Tensor)?)null : (state.H.unsqueeze(0), (state.C ?? zeros_like(state.H)).unsqueeze(0));
        var (h, hN, cN) = rnn.call(x, hc);                              // h: (B, T, inner); hN, cN: (1, B, inner)
        var y = to_out is null ? h : to_out.call(h);
        return (y.MoveToOuterDisposeScope(), new CellState(hN.squeeze(0), cN.squeeze(0)).MoveToOuterDisposeScope());
    }
}
