using static TorchSharp.torch;

namespace MinRnn.Cells.Unrolling;

/// <summary>A cell whose recurrence is linear in its state with coefficients from the input only
/// (PositionMixing.LinearRecurrence), so its output unrolls exactly into what each input position gives it
/// (docs/MODELS.md, "Exact decomposition"). explain's decomposition and rollout read only this: a new kind that
/// implements it joins them without a change in MinRnn.Explain.</summary>
public interface IUnrollingCell
{
    /// <summary>c_{t,j} (B, T, T, d) for input x (B, T, d) from the zero state: what input position j contributes to the
    /// cell's output at t, 0 for j &gt; t; Σ_j c_{t,j} is the output.</summary>
    Tensor Contributions(Tensor x);

    /// <summary>The formula of c_{t,j}, for explain's settings.</summary>
    string Unrolling { get; }
}
