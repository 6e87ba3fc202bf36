namespace MinRnn.Scans;

/// <summary>How a min cell evaluates its linear recurrence h_t = a_t ⊙ h_{t-1} + b_t (docs/MODELS.md, "Three ways").
/// All modes compute the same function.</summary>
public enum ScanMode
{
    /// <summary>The best path for the tensor's device: fused on CPU, log-space elsewhere (a CPU loop over GPU
    /// memory would be a disaster).</summary>
    Auto,
    /// <summary>Gates and recurrence in one fused pass forward and one backward over CPU memory, in linear space
    /// (FusedMinScan; FusedLinearScan is the bare operator).</summary>
    Fused,
    /// <summary>Heinsen's parallel log-space scan (arXiv 2311.06281): parallel over time, the GPU path.</summary>
    Log,
    /// <summary>One step at a time in linear space: the reference and the streaming path.</summary>
    Sequential,
}
