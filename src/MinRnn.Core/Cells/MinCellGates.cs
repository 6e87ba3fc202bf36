using static TorchSharp.torch;

namespace MinRnn.Cells;

/// <summary>A min cell's recurrence coefficients in linear space, each (B, T, inner):
/// h_t = A_t ⊙ h_{t−1} + B_t ⊙ Candidate_t. minGRU: A = 1 − z, B = z; minLSTM: A = f', B = i' (normalised) or
/// A = f, B = i; Candidate = h̃ = g(Lin(x)). Because they depend on x_t only, the recurrence unrolls exactly
/// (docs/MODELS.md, "Exact decomposition"): h_t = Σ_{j≤t} B_j ⊙ Π_{k=j+1..t} A_k ⊙ h̃_j + Π_{k≤t} A_k ⊙ h_0.</summary>
public sealed record MinCellGates(Tensor A, Tensor B, Tensor Candidate);

/// <summary>minGRU and minLSTM: the cells whose gates see only the current input.</summary>
public interface IMinCell
{
    /// <summary>The gates and candidate the cell's forward uses for input x (B, T, d).</summary>
    MinCellGates Gates(Tensor x);

    /// <summary>The candidate's pre-activation k_h = Lin(x) (B, T, inner), h̃ = g(k_h): where it crosses 0, g'
    /// jumps from ¼ to 1, so the cell is not differentiable there.</summary>
    Tensor CandidatePreactivation(Tensor x);

    /// <summary>The cell output for hidden states h (B, T, inner): h itself, or its projection back to d when
    /// the expansion is not 1.</summary>
    Tensor Output(Tensor h);
}
