// minLSTM: "Were RNNs All We Needed?" (Feng et al. 2024, arXiv 2410.01201), §3.2 and appendix A.
using MinRnn.Scans;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MinRnn.Cells;

/// <summary>f_t = σ(Lin(x_t)), i_t = σ(Lin(x_t)), h̃_t = g(Lin(x_t)); normalised gates f' = f/(f+i), i' = i/(f+i)
/// (optional); h_t = f'_t ⊙ h_{t-1} + i'_t ⊙ h̃_t. Pre-activations [k_h | k_f | k_i].</summary>
public sealed class MinLstm : MinCell
{
    private readonly bool normalize;

    /// <summary>The projection's parameter name (the reference implementation's), as exporters read it.</summary>
    public const string ProjectionName = "to_hidden_and_gates";

    public MinLstm(CellOptions options) : base(nameof(MinLstm), options, ProjectionName, chunks: 3, bias: options.ForgetBias != 0)
    {
        normalize = options.NormalizeGates;
        if (options.ForgetBias != 0)
            using (no_grad())
            {
                Projection.bias!.zero_();
                Projection.bias.narrow(0, options.Inner, options.Inner).fill_(options.ForgetBias); // order: h̃, f, i
            }
    }

    protected override MinCellGates GatesOf(Tensor k)
    {
        var (k_h, k_f, k_i) = Split(k);
        if (!normalize) return new MinCellGates(k_f.sigmoid(), k_i.sigmoid(), MinGates.G(k_h));
        var d = NormalizedGateLogit(k_f, k_i);                                   // f' = σ(−d), i' = σ(d)
        return new MinCellGates((-d).sigmoid(), d.sigmoid(), MinGates.G(k_h));
    }

    protected override (Tensor LogA, Tensor LogB) LogCoefficients(Tensor k)
    {
        var (k_h, k_f, k_i) = Split(k);
        if (!normalize) return (MinGates.LogSigmoid(k_f), MinGates.LogSigmoid(k_i) + MinGates.LogG(k_h));
        var d = NormalizedGateLogit(k_f, k_i);                                   // log f' = −softplus(d), log i' = −softplus(−d)
        return (-F.softplus(d), -F.softplus(-d) + MinGates.LogG(k_h));
    }

    protected override Tensor FusedScan(Tensor k, Tensor? h0) =>
        normalize ? FusedMinScan.Scan<LstmNormalizedStep>(k, h0) : FusedMinScan.Scan<LstmStep>(k, h0);

    /// <summary>d = log(i/f) = softplus(−k_f) − softplus(−k_i), so that f' = f/(f+i) = σ(−d) and i' = σ(d): no 0/0 when
    /// both gates underflow.</summary>
    private static Tensor NormalizedGateLogit(Tensor k_f, Tensor k_i) => F.softplus(-k_f) - F.softplus(-k_i);

    private (Tensor K_h, Tensor K_f, Tensor K_i) Split(Tensor k)
    {
        var c = Chunks(k);
        return (c[0], c[1], c[2]);
    }
}
