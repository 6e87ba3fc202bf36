// minLSTM: "Were RNNs All We Needed?" (Feng et al. 2024, arXiv 2410.01201), §3.2 and appendix A.
using MinRnn.Scans;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MinRnn.Cells;

/// <summary>f_t = σ(Lin(x_t)), i_t = σ(Lin(x_t)), h̃_t = g(Lin(x_t)); normalised gates f' = f/(f+i), i' = i/(f+i)
/// (optional); h_t = f'_t ⊙ h_{t-1} + i'_t ⊙ h̃_t.</summary>
public sealed class MinLstm : RecurrentCell, IMinCell
{
    private readonly Linear to_hidden_and_gates;
    private readonly Linear? to_out;
    private readonly ScanMode scan;
    private readonly bool normalize;
    private readonly long inner;

    public MinLstm(CellOptions options) : base(nameof(MinLstm))
    {
        inner = options.Inner;
        scan = options.Scan;
        normalize = options.NormalizeGates;
        to_hidden_and_gates = nn.Linear(options.Dim, 3 * inner, hasBias: options.ForgetBias != 0);
        if (options.ForgetBias != 0)
            using (no_grad())
            {
                to_hidden_and_gates.bias!.zero_();
                to_hidden_and_gates.bias.narrow(0, inner, inner).fill_(options.ForgetBias); // order: h̃, f, i
            }
        to_out = options.Expansion != 1.0 ? nn.Linear(inner, options.Dim, hasBias: false) : null;
        RegisterComponents();
    }

    public override long StateSize => inner;

    public override (Tensor Output, CellState State) forward(Tensor x, CellState? state)
    {
        using var scope = NewDisposeScope();
        var k = to_hidden_and_gates.call(x);                            // (B, T, 3·inner): [k_h | k_f | k_i]
        var mode = LinearScan.Resolve(scan, x);
        Tensor h;
        if (mode == ScanMode.Fused)
            h = FusedMinScan.Scan(normalize ? MinCellKind.LstmNormalized : MinCellKind.Lstm, k, state?.H);
        else
        {
            var chunks = k.chunk(3, -1);
            var (k_h, k_f, k_i) = (chunks[0], chunks[1], chunks[2]);
            h = mode == ScanMode.Log ? LogSpace(k_h, k_f, k_i, state?.H) : Sequential(GatesOf(k_h, k_f, k_i), state?.H);
        }
        var final = new CellState(h.select(1, -1));
        var y = to_out is null ? h : to_out.call(h);
        return (y.MoveToOuterDisposeScope(), final.MoveToOuterDisposeScope());
    }

    private Tensor LogSpace(Tensor k_h, Tensor k_f, Tensor k_i, Tensor? h0)
    {
        Tensor logF, logI;
        if (normalize)
        {
            // log f' = −softplus(d), log i' = −softplus(−d), d = softplus(−k_f) − softplus(−k_i)
            var d = F.softplus(-k_f) - F.softplus(-k_i);
            (logF, logI) = (-F.softplus(d), -F.softplus(-d));
        }
        else
            (logF, logI) = (MinGates.LogSigmoid(k_f), MinGates.LogSigmoid(k_i));
        return LinearScan.LogSpace(logF, logI + MinGates.LogG(k_h), h0);
    }

    public MinCellGates Gates(Tensor x)
    {
        var chunks = to_hidden_and_gates.call(x).chunk(3, -1);
        return GatesOf(chunks[0], chunks[1], chunks[2]);
    }

    public Tensor CandidatePreactivation(Tensor x) => to_hidden_and_gates.call(x).chunk(3, -1)[0];

    public Tensor Output(Tensor h) => to_out is null ? h : to_out.call(h);

    private MinCellGates GatesOf(Tensor k_h, Tensor k_f, Tensor k_i)
    {
        Tensor f, i;
        if (normalize)
        {
            // f' = f/(f+i) = σ(−d), i' = σ(d): no 0/0 when both gates underflow
            var d = F.softplus(-k_f) - F.softplus(-k_i);
            (f, i) = ((-d).sigmoid(), d.sigmoid());
        }
        else
            (f, i) = (k_f.sigmoid(), k_i.sigmoid());
        return new MinCellGates(f, i, MinGates.G(k_h));
    }

    private static Tensor Sequential(MinCellGates g, Tensor? h0) => LinearScan.Sequential(g.A, g.B * g.Candidate, h0);
}
