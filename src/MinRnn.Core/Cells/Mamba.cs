// Mamba: Gu & Dao 2023, "Mamba: Linear-Time Sequence Modeling with Selective State Spaces", arXiv 2312.00752, §3 and
// appendix; parameter names and initialisation as in the reference implementation's mamba_simple.py.
using MinRnn.Layers;
using MinRnn.Cells.Unrolling;
using MinRnn.Scans;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MinRnn.Cells;

/// <summary>The Mamba mixer (docs/MODELS.md, "Mamba"): [x, z] = in_proj(u) (E = inner width each), x = SiLU(conv1d(x))
/// causal depthwise, [δ, B, C] = x_proj(x), Δ = softplus(dt_proj(δ)), A = −exp(A_log), then the selective scan
/// h_t = exp(Δ_t A) ⊙ h_{t−1} + Δ_t B_t x_t, y_t = C_t · h_t + D ⊙ x_t (SelectiveScan), out = out_proj(y ⊙ SiLU(z)).
/// State: h (B, E, N) and the conv's last k − 1 inputs (B, k − 1, E).</summary>
public sealed class Mamba : RecurrentCell, IUnrollingCell
{
    /// <summary>mamba_simple's d_conv.</summary>
    public const int ConvKernel = 4;

    /// <summary>The parameter names (the fields', as mamba_simple names them), as exporters read them.</summary>
    public const string InProj = nameof(in_proj), Conv = nameof(conv1d), XProj = nameof(x_proj), DtProj = nameof(dt_proj),
        ALog = nameof(A_log), DName = nameof(D), OutProj = nameof(out_proj);

    private readonly Linear in_proj;
    private readonly Conv1d conv1d;
    private readonly Linear x_proj;
    private readonly Linear dt_proj;
    private readonly Parameter A_log;
    private readonly Parameter D;
    private readonly Linear out_proj;
    private readonly long inner, rank, stateSize;
    private readonly ScanMode scan;

    public Mamba(CellOptions options) : base(nameof(Mamba))
    {
        (inner, stateSize, scan) = (options.Inner, options.StateSize, options.Scan);
        rank = DeltaRank(options.Dim);
        in_proj = nn.Linear(options.Dim, 2 * inner, hasBias: false);
        conv1d = nn.Conv1d(inner, inner, ConvKernel, groups: inner);
        x_proj = nn.Linear(inner, rank + 2 * stateSize, hasBias: false);
        dt_proj = nn.Linear(rank, inner);
        A_log = nn.Parameter(arange(1, stateSize + 1, dtype: float32).log().repeat(inner, 1));   // S4D-real: A_n = −(n + 1)
        D = nn.Parameter(ones(inner));
        out_proj = nn.Linear(inner, options.Dim, hasBias: false);
        using (no_grad())
        {
            var std = Math.Pow(rank, -0.5);
            dt_proj.weight!.uniform_(-std, std);
            var dt = (rand(inner) * (Math.Log(0.1) - Math.Log(0.001)) + Math.Log(0.001)).exp().clamp_min(1e-4);
            dt_proj.bias!.copy_(dt + (-(-dt).expm1()).log());                                        // softplus⁻¹: Δ starts in [0.001, 0.1]
        }
        RegisterComponents();
    }

    /// <summary>mamba_simple's dt_rank "auto": ⌈d / 16⌉.</summary>
    public static long DeltaRank(long dim) => (dim + 15) / 16;

    /// <summary>The matrix products of one layer (CellKind.Projections): in_proj, x_proj, dt_proj, out_proj.</summary>
    public static List<(long In, long Out)> Projections(long dim, long hidden, int stateSize) =>
        [(dim, 2 * hidden), (hidden, DeltaRank(dim) + 2 * stateSize), (DeltaRank(dim), hidden), (hidden, dim)];

    /// <summary>The selective scan's multiply–adds per token (CellKind.MixingMacs), for every one of the E·N states: Δ·A, a ⊙ h,
    /// (Δx)·B and C·h, four. The exp of Δ·A is not counted.</summary>
    public static double ScanMacs(long seqLen, long hidden, int stateSize) => 4.0 * hidden * stateSize;

    public override long StateSize => inner * stateSize;

    public override CellState ZeroState(long batch)
    {
        var w = in_proj.weight!;
        return new(zeros(batch, inner, stateSize, dtype: w.dtype, device: w.device),
            Conv: zeros(batch, ConvKernel - 1, inner, dtype: w.dtype, device: w.device));
    }

    public override (Tensor Output, CellState State) forward(Tensor x, CellState? state)
    {
        using var scope = NewDisposeScope();
        var (inputs, gate, convState) = ScanInputs(x, state?.Conv);
        var (y, h) = SelectiveScan.Run(scan, inputs, state?.H);
        var output = Output(y * gate);
        return (output.MoveToOuterDisposeScope(), new CellState(h, Conv: convState).MoveToOuterDisposeScope());
    }

    /// <summary>What the scan reads for input x (B, T, d): [x, z] = in_proj(x), the scan's inputs from u = SiLU(conv1d(x))
    /// (conv state: the last k − 1 inputs or null), the output gate SiLU(z) (B, T, E) and the conv's next state.</summary>
    public (SelectiveScanInputs Scan, Tensor Gate, Tensor ConvState) ScanInputs(Tensor x, Tensor? conv = null)
    {
        var xz = in_proj.call(x).chunk(2, -1);                                          // x, z: (B, T, E)
        var (c, convState) = CausalConv.Apply(conv1d, ConvKernel, xz[0], conv);
        return (Selection(F.silu(c)), F.silu(xz[1]), convState);
    }

    /// <summary>out_proj of the gated scan output y ⊙ SiLU(z) (…, E) → (…, d).</summary>
    public Tensor Output(Tensor gated) => out_proj.call(gated);

    /// <summary>out_proj(c_{t,j} ⊙ SiLU(z_t)) from the S6 unrolling (SelectiveDecomposition), which sums over j to the
    /// cell's output. Position j is the scan's input, after the causal conv (kernel 4) mixed it with the 3 inputs before it.</summary>
    public Tensor Contributions(Tensor x)
    {
        using var scope = NewDisposeScope();
        var (inputs, gate, _) = ScanInputs(x);
        var d = SelectiveDecomposition.Of(inputs);
        return Output(d.Contributions * gate.unsqueeze(2)).MoveToOuterDisposeScope();
    }

    public string Unrolling => "exact S6 unrolling c_{t,j} = C_t · (Π_{k=j+1..t} exp(Δ_k A)) ⊙ Δ_j B_j x_j (+ D ⊙ x_t on j = t)";

    /// <summary>The scan's input-dependent parameters for u = SiLU(conv(x)) (B, T, E): Δ, B, C from u (selection, §3.2).</summary>
    public SelectiveScanInputs Selection(Tensor u)
    {
        var dbc = x_proj.call(u).split([rank, stateSize, stateSize], -1);              // δ (B, T, R), B, C (B, T, N)
        var delta = F.softplus(dt_proj.call(dbc[0]));
        return new SelectiveScanInputs(u, delta, -A_log.exp(), dbc[1], dbc[2], D);
    }
}
