using static TorchSharp.torch;

namespace MinRnn.Scans;

/// <summary>The linear recurrence h_t = a_t ⊙ h_{t-1} + b_t over time (dim 1), with an initial state h0.
/// Inputs are (B, T, H); h0 is (B, H) or null (zeros). Returns all states (B, T, H).</summary>
public static class LinearScan
{
    /// <summary>The concrete mode for an input: Auto picks the fused scan on CPU, the log-space scan elsewhere.</summary>
    public static ScanMode Resolve(ScanMode mode, Tensor x) =>
        mode != ScanMode.Auto ? mode : x.device.type == TorchSharp.DeviceType.CPU ? ScanMode.Fused : ScanMode.Log;


    /// <summary>Sequential reference: one step at a time, in linear space.</summary>
    public static Tensor Sequential(Tensor a, Tensor b, Tensor? h0)
    {
        var steps = a.shape[1];
        var h = h0 ?? zeros_like(b.select(1, 0));
        var states = new Tensor[steps];
        for (var t = 0; t < steps; t++)
            states[t] = h = a.select(1, t) * h + b.select(1, t);
        return stack(states, 1);
    }

    /// <summary>Heinsen's log-space scan (arXiv 2311.06281) from log a and log b (b must be positive):
    /// a*_t = Σ_{k≤t} log a_k, h_t = exp(a*_t + logcumsumexp_t(log b − a*)) + exp(a*_t) ⊙ h0.
    /// h0 enters linearly, so it may have any sign (lucidrains/minGRU-pytorch #9 is about getting h0 wrong).</summary>
    public static Tensor LogSpace(Tensor logA, Tensor logB, Tensor? h0)
    {
        var aStar = logA.cumsum(1);
        var h = (aStar + logcumsumexp(logB - aStar, 1)).exp();
        return h0 is null ? h : h + aStar.exp() * h0.unsqueeze(1);
    }

    /// <summary>The log-space scan for b of either sign: b = (relu(b) + ε) − (relu(−b) + ε) with both parts positive, so
    /// h = LogSpace(log a, log(relu(b) + ε), h0) − LogSpace(log a, log(relu(−b) + ε)), exact up to ε = 1e-20 per step (a
    /// real-valued form of Heinsen's complex log for negative values).</summary>
    public static Tensor SignedLogSpace(Tensor logA, Tensor b, Tensor? h0) =>
        LogSpace(logA, (nn.functional.relu(b) + Epsilon).log(), h0) - LogSpace(logA, (nn.functional.relu(-b) + Epsilon).log(), null);

    private const double Epsilon = 1e-20;
}
