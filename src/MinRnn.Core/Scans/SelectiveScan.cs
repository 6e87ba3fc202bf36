// Mamba's selective scan (S6): Gu & Dao 2023, "Mamba: Linear-Time Sequence Modeling with Selective State Spaces",
// arXiv 2312.00752, §3.2 and Algorithm 2; the reference is mamba_simple's selective_scan_ref.
using static TorchSharp.torch;

namespace MinRnn.Scans;

/// <summary>The inputs of one selective scan: U = x after conv and SiLU and Δ (B, T, E), A (E, N) (negative), B and C
/// (B, T, N), D (E). E is the inner width, N the state size.</summary>
public sealed record SelectiveScanInputs(Tensor U, Tensor Delta, Tensor A, Tensor B, Tensor C, Tensor D);

/// <summary>h_t = exp(Δ_t A) ⊙ h_{t−1} + Δ_t B_t x_t and y_t = C_t · h_t + D ⊙ x_t per channel (docs/MODELS.md, "Mamba"):
/// the min cells' linear recurrence h_t = a_t ⊙ h_{t−1} + b_t with a = exp(ΔA) ∈ (0, 1] per (channel, state), and
/// b = ΔBx of any sign. Every mode computes the same function; h0 and the final state are (B, E, N).</summary>
public static class SelectiveScan
{
    /// <summary>Steps per chunk of the log-space path: a*_t stays small enough within a chunk for float32.</summary>
    public const int LogChunk = 64;

    public static (Tensor Y, Tensor State) Run(ScanMode mode, SelectiveScanInputs s, Tensor? h0) =>
        LinearScan.Resolve(mode, s.U) switch
        {
            ScanMode.Fused => FusedSelectiveScan.Scan(s, h0 ?? Zeros(s)),                   // one SIMD pass per direction
            ScanMode.Log => LogSpace(s, h0),
            _ => Sequential(s, h0),
        };

    /// <summary>The reference: one step at a time in linear space (selective_scan_ref's loop).</summary>
    public static (Tensor Y, Tensor State) Sequential(SelectiveScanInputs s, Tensor? h0)
    {
        var h = h0 ?? Zeros(s);
        var ys = new Tensor[s.U.shape[1]];
        for (var t = 0; t < ys.Length; t++)
        {
            var delta = s.Delta.select(1, t).unsqueeze(-1);                                  // (B, E, 1)
            h = (delta * s.A).exp() * h + delta * s.U.select(1, t).unsqueeze(-1) * s.B.select(1, t).unsqueeze(1);
            ys[t] = (h * s.C.select(1, t).unsqueeze(1)).sum(-1);                            // C_t · h_t, (B, E)
        }
        return (stack(ys, 1) + s.D * s.U, h);
    }

    /// <summary>Parallel over time within chunks of LogChunk steps (the GPU path): log a = ΔA needs no log, and b = ΔBx of
    /// either sign is scanned as LinearScan.SignedLogSpace; the chunks carry h. Memory (B, T, E, N).</summary>
    public static (Tensor Y, Tensor State) LogSpace(SelectiveScanInputs s, Tensor? h0)
    {
        var (steps, width, n) = (s.U.shape[1], s.A.shape[0], s.A.shape[1]);
        var h = h0 ?? Zeros(s);
        var ys = new List<Tensor>();
        for (long start = 0; start < steps; start += LogChunk)
        {
            var len = Math.Min(LogChunk, steps - start);
            var delta = s.Delta.narrow(1, start, len).unsqueeze(-1);                         // (B, L, E, 1)
            var logA = (delta * s.A).flatten(2);                                             // (B, L, E·N)
            var b = (delta * s.U.narrow(1, start, len).unsqueeze(-1) * s.B.narrow(1, start, len).unsqueeze(2)).flatten(2);
            var hs = LinearScan.SignedLogSpace(logA, b, h.flatten(1)).unflatten(2, [width, n]);   // (B, L, E, N)
            ys.Add((hs * s.C.narrow(1, start, len).unsqueeze(2)).sum(-1));
            h = hs.select(1, -1);
        }
        return (cat(ys, 1) + s.D * s.U, h);
    }

    private static Tensor Zeros(SelectiveScanInputs s) =>
        zeros(s.U.shape[0], s.A.shape[0], s.A.shape[1], dtype: s.U.dtype, device: s.U.device);
}
