// minGRU / minLSTM: "Were RNNs All We Needed?" (Feng et al. 2024, arXiv 2410.01201), §3 and appendix A.
using MinRnn.Cells.Unrolling;
using MinRnn.Scans;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MinRnn.Cells;

/// <summary>What every min cell shares: one projection k = Lin(x) of all its pre-activations (candidate first, then
/// gates), the recurrence h_t = a_t ⊙ h_{t−1} + b_t ⊙ h̃_t over them by the chosen scan, and the projection back to d
/// when the inner width is not d (docs/MODELS.md, "Cells" and "Three ways"). A cell adds only its gates.</summary>
public abstract class MinCell : RecurrentCell, IMinCell, IUnrollingCell
{
    /// <summary>The projection back to d (present when the inner width is not d), as exporters read it.</summary>
    public const string OutName = "to_out";

    private readonly Linear projection;
    private readonly Linear? to_out;
    private readonly ScanMode scan;
    private readonly int chunks;
    private readonly long inner;

    /// <param name="projectionName">The projection's parameter name (the reference implementation's).</param>
    /// <param name="chunks">Pre-activation chunks per step: the candidate's and one per gate.</param>
    protected MinCell(string name, CellOptions options, string projectionName, int chunks, bool bias) : base(name)
    {
        (inner, scan, this.chunks) = (options.Inner, options.Scan, chunks);
        projection = nn.Linear(options.Dim, chunks * inner, hasBias: bias);
        register_module(projectionName, projection);
        to_out = options.Expansion != 1.0 ? nn.Linear(inner, options.Dim, hasBias: false) : null;
        if (to_out is not null) register_module(OutName, to_out);
    }

    /// <summary>Nothing to find by reflection: the constructor registers the modules under their reference names (the
    /// field names would add a second copy of the projection).</summary>
    protected override void RegisterComponents() { }

    public override long StateSize => inner;

    /// <summary>The projection x → [k_h | gates…] (B, T, chunks·inner).</summary>
    protected Linear Projection => projection;

    public override (Tensor Output, CellState State) forward(Tensor x, CellState? state)
    {
        using var scope = NewDisposeScope();
        var k = projection.call(x);
        var h0 = state?.H;
        var h = LinearScan.Resolve(scan, x) switch
        {
            ScanMode.Fused => FusedScan(k, h0),                                       // gates and scan in one CPU pass
            ScanMode.Log => LogSpace(k, h0),
            _ => Sequential(GatesOf(k), h0),
        };
        var final = new CellState(h.select(1, -1));
        return (Output(h).MoveToOuterDisposeScope(), final.MoveToOuterDisposeScope());
    }

    public MinCellGates Gates(Tensor x) => GatesOf(projection.call(x));

    public Tensor CandidatePreactivation(Tensor x) => projection.call(x).chunk(chunks, -1)[0];

    public Tensor Output(Tensor h) => to_out is null ? h : to_out.call(h);

    /// <summary>Out(α_{t,j} ⊙ h̃_j) (CellDecomposition).</summary>
    public Tensor Contributions(Tensor x)
    {
        using var scope = NewDisposeScope();
        return Output(CellDecomposition.Of(this, x).Contributions()).MoveToOuterDisposeScope();
    }

    public string Unrolling => "exact α_{t,j} = b_j ⊙ Π_{k=j+1..t} a_k";

    /// <summary>The gates and candidate in linear space from the pre-activations k.</summary>
    protected abstract MinCellGates GatesOf(Tensor k);

    /// <summary>log a and log(b ⊙ h̃) from k, for the log-space scan.</summary>
    protected abstract (Tensor LogA, Tensor LogB) LogCoefficients(Tensor k);

    /// <summary>The fused CPU scan over k with this cell's step (Scans/MinSteps.cs).</summary>
    protected abstract Tensor FusedScan(Tensor k, Tensor? h0);

    /// <summary>k split into its chunks [k_h, gates…].</summary>
    protected Tensor[] Chunks(Tensor k) => k.chunk(chunks, -1);

    private Tensor LogSpace(Tensor k, Tensor? h0)
    {
        var (logA, logB) = LogCoefficients(k);
        return LinearScan.LogSpace(logA, logB, h0);
    }

    private static Tensor Sequential(MinCellGates g, Tensor? h0) => LinearScan.Sequential(g.A, g.B * g.Candidate, h0);
}
