// minGRU: "Were RNNs All We Needed?" (Feng et al. 2024, arXiv 2410.01201), §3.1 and appendix A.
using MinRnn.Scans;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MinRnn.Cells;

/// <summary>z_t = σ(Lin(x_t)), h̃_t = g(Lin(x_t)), h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t.</summary>
public sealed class MinGru : RecurrentCell, IMinCell
{
    private readonly Linear to_hidden_and_gate;
    private readonly Linear? to_out;
    private readonly ScanMode scan;
    private readonly long inner;

    public MinGru(CellOptions options) : base(nameof(MinGru))
    {
        inner = options.Inner;
        scan = options.Scan;
        to_hidden_and_gate = nn.Linear(options.Dim, 2 * inner, hasBias: false);
        to_out = options.Expansion != 1.0 ? nn.Linear(inner, options.Dim, hasBias: false) : null;
        RegisterComponents();
    }

    public override long StateSize => inner;

    public override (Tensor Output, CellState State) forward(Tensor x, CellState? state)
    {
        using var scope = NewDisposeScope();
        var k = to_hidden_and_gate.call(x);                             // (B, T, 2·inner): [k_h | k_z]
        var mode = LinearScan.Resolve(scan, x);
        Tensor h;
        if (mode == ScanMode.Fused)
            h = FusedMinScan.Scan(MinCellKind.Gru, k, state?.H);          // gates and scan in one CPU pass
        else
        {
            var chunks = k.chunk(2, -1);
            var (k_h, k_z) = (chunks[0], chunks[1]);
            h = mode == ScanMode.Log
                ? LinearScan.LogSpace(logA: -F.softplus(k_z),                // log(1 − z)
                                      logB: MinGates.LogSigmoid(k_z) + MinGates.LogG(k_h), // log z + log h̃
                                      state?.H)
                : Sequential(k, state?.H);
        }
        var final = new CellState(h.select(1, -1));
        var y = to_out is null ? h : to_out.call(h);
        return (y.MoveToOuterDisposeScope(), final.MoveToOuterDisposeScope());
    }

    public MinCellGates Gates(Tensor x) => GatesOf(to_hidden_and_gate.call(x));

    public Tensor CandidatePreactivation(Tensor x) => to_hidden_and_gate.call(x).chunk(2, -1)[0];

    public Tensor Output(Tensor h) => to_out is null ? h : to_out.call(h);

    // a = 1 − z = σ(−k_z) (exact and bounded), b = z = σ(k_z), h̃ = g(k_h)
    private static MinCellGates GatesOf(Tensor k)
    {
        var chunks = k.chunk(2, -1);
        var (k_h, k_z) = (chunks[0], chunks[1]);
        return new MinCellGates((-k_z).sigmoid(), k_z.sigmoid(), MinGates.G(k_h));
    }

    private static Tensor Sequential(Tensor k, Tensor? h0)
    {
        var g = GatesOf(k);
        return LinearScan.Sequential(g.A, g.B * g.Candidate, h0);          // h = (1 − z) ⊙ h + z ⊙ h̃
    }
}
