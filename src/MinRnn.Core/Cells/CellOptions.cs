using System.Text.Json.Serialization;
using MinRnn.Scans;

namespace MinRnn.Cells;

/// <summary>Options every cell understands. Inner width is Dim × Expansion; a projection maps it back to Dim
/// when Expansion ≠ 1.</summary>
/// <param name="Dim">Model width d.</param>
/// <param name="Expansion">Expansion factor e of the inner (state) width.</param>
/// <param name="Scan">Recurrence evaluation for min cells (ignored by GRU/LSTM).</param>
/// <param name="NormalizeGates">minLSTM: f' = f/(f+i), i' = i/(f+i) (lucidrains' port; the paper's equations).</param>
/// <param name="ForgetBias">minLSTM: initial bias of the forget-gate pre-activation (0 = no bias parameter).</param>
/// <param name="StateSize">Mamba: state size N per channel.</param>
/// <param name="Heads">Transformer: attention heads; they split the inner width.</param>
/// <remarks>StateSize and Heads stay out of the `cell_options` that run files echo: ModelConfig carries them, only for
/// the kinds that take them, so the files of the other kinds read as before.</remarks>
public sealed record CellOptions(
    long Dim,
    double Expansion = 1.0,
    ScanMode Scan = ScanMode.Auto,
    bool NormalizeGates = true,
    double ForgetBias = 0.0,
    [property: JsonIgnore] int StateSize = CellOptions.DefaultStateSize,
    [property: JsonIgnore] int Heads = CellOptions.DefaultHeads)
{
    /// <summary>Mamba's N (Gu &amp; Dao 2023 use 16).</summary>
    public const int DefaultStateSize = 16;

    public const int DefaultHeads = 4;

    public long Inner => (long)Math.Round(Dim * Expansion);
}

/// <summary>Options that apply to some cell kinds only (CellKind.Options); giving one to another kind is an error.</summary>
[Flags]
public enum CellOption
{
    None = 0,
    /// <summary>`--state-size`, ModelConfig.StateSize.</summary>
    StateSize = 1,
    /// <summary>`--heads`, ModelConfig.Heads.</summary>
    Heads = 2,
}
