using MinRnn.Scans;

namespace MinRnn.Cells;

/// <summary>Options every cell understands. Inner width is Dim × Expansion; a projection maps it back to Dim
/// when Expansion ≠ 1.</summary>
/// <param name="Dim">Model width d.</param>
/// <param name="Expansion">Expansion factor e of the inner (state) width.</param>
/// <param name="Scan">Recurrence evaluation for min cells (ignored by GRU/LSTM).</param>
/// <param name="NormalizeGates">minLSTM: f' = f/(f+i), i' = i/(f+i) (lucidrains' port; the paper's equations).</param>
/// <param name="ForgetBias">minLSTM: initial bias of the forget-gate pre-activation (0 = no bias parameter).</param>
public sealed record CellOptions(
    long Dim,
    double Expansion = 1.0,
    ScanMode Scan = ScanMode.Auto,
    bool NormalizeGates = true,
    double ForgetBias = 0.0)
{
    public long Inner => (long)Math.Round(Dim * Expansion);
}
