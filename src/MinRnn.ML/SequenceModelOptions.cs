namespace MinRnn.ML;

/// <summary>Options of <see cref="SequenceModelCatalog.ApplySequenceModel(Microsoft.ML.TransformsCatalog, SequenceModelOptions)"/>.
/// An output is produced when its column name is set; at least one must be.</summary>
public sealed record SequenceModelOptions
{
    /// <summary>A model exported by <c>minrnn export</c> (ONNX with MinRnn metadata).</summary>
    public required string ModelFile { get; init; }

    /// <summary>A vector column of token ids: int32, int64, uint32, or a key (key k is id k − 1). Rows may differ in length.</summary>
    public string InputColumnName { get; init; } = "Tokens";

    /// <summary>int64 vector [T]: the argmax of the logits at every step.</summary>
    public string? PredictionsColumnName { get; init; } = "Predictions";

    /// <summary>float vector [T·vocab], row-major (step t's logits at t·vocab … t·vocab + vocab − 1).</summary>
    public string? LogitsColumnName { get; init; }

    /// <summary>float vector [1, vocab]: the logits of the last step.</summary>
    public string? LastLogitsColumnName { get; init; }

    /// <summary>One float vector column per recurrent state after the last token, named this prefix + the state's name
    /// (e.g. <c>state_h_0</c>, <c>state_c_0</c> for LSTM, <c>conv_state_0</c> with a conv), shaped [1, ..state shape]
    /// as the model's <c>final_*</c> outputs; fed to the model's state inputs they continue the sequence.</summary>
    public string? FinalStateColumnPrefix { get; init; }

    /// <summary>Run the model on this CUDA device; null = CPU.</summary>
    public int? GpuDeviceId { get; init; }

    /// <summary>Rows per ONNX Runtime call in <see cref="SequenceModelTransformer.Transform"/>: up to this many consecutive
    /// rows go in one call — of any lengths, right-padded, with the model's lengths input (files exported before it
    /// existed: consecutive rows of equal length) — each getting what a one-row call gives. 1 (the default) runs
    /// ML.NET's OnnxTransformer row by row. Not saved: a loaded pipeline runs row by row, with the same outputs; the
    /// batched view is read by one cursor at a time.</summary>
    public int BatchSize { get; init; } = 1;

    /// <summary>When CUDA is asked for but cannot run here: true = run on the CPU (see
    /// <see cref="SequenceModelTransformer.ProviderNote"/>), false = fail with the reason.</summary>
    public bool FallbackToCpu { get; init; }
}
