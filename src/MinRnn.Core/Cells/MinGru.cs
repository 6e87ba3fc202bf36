// minGRU: "Were RNNs All We Needed?" (Feng et al. 2024, arXiv 2410.01201), §3.1 and appendix A.
using MinRnn.Scans;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MinRnn.Cells;

/// <summary>z_t = σ(Lin(x_t)), h̃_t = g(Lin(x_t)), h_t = (1 − z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t.
/// Pre-activations [k_h | k_z].</summary>
public sealed class MinGru : MinCell
{
    /// <summary>The projection's parameter name (the reference implementation's), as exporters read it.</summary>
    public const string ProjectionName = "to_hidden_and_gate";

    public MinGru(CellOptions options) : base(nameof(MinGru), options, ProjectionName, chunks: 2, bias: false) { }

    // a = 1 − z = σ(−k_z) (exact and bounded), b = z = σ(k_z), h̃ = g(k_h)
    protected override MinCellGates GatesOf(Tensor k)
    {
        var (k_h, k_z) = Split(k);
        return new MinCellGates((-k_z).sigmoid(), k_z.sigmoid(), MinGates.G(k_h));
    }

    // log(1 − z) = −softplus(k_z), log z + log h̃
    protected override (Tensor LogA, Tensor LogB) LogCoefficients(Tensor k)
    {
        var (k_h, k_z) = Split(k);
        return (-F.softplus(k_z), MinGates.LogSigmoid(k_z) + MinGates.LogG(k_h));
    }

    protected override Tensor FusedScan(Tensor k, Tensor? h0) => FusedMinScan.Scan<GruStep>(k, h0);

    private (Tensor K_h, Tensor K_z) Split(Tensor k)
    {
        var c = Chunks(k);
        return (c[0], c[1]);
    }
}
