using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace MinRnn.Scans;

/// <summary>The small numerics shared by minGRU and minLSTM ("Were RNNs All We Needed?", arXiv 2410.01201, §3).</summary>
public static class MinGates
{
    /// <summary>g(x) = x + 0.5 for x ≥ 0, σ(x) otherwise: keeps h̃ positive for the log-space scan.</summary>
    public static Tensor G(Tensor x) => where(x >= 0, x + 0.5, x.sigmoid());

    /// <summary>log g(x) = log(relu(x) + 0.5) for x ≥ 0, −softplus(−x) otherwise.</summary>
    public static Tensor LogG(Tensor x) => where(x >= 0, (F.relu(x) + 0.5).log(), -F.softplus(-x));

    /// <summary>log σ(k) = −softplus(−k), never log(σ(k)) (which underflows).</summary>
    public static Tensor LogSigmoid(Tensor k) => -F.softplus(-k);
}
