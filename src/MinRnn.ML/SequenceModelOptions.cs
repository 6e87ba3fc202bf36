namespace MinRnn.ML;

/// <summary>Options of <see cref="SequenceModelCatalog.ApplySequenceModel(Microsoft.ML.TransformsCatalog, SequenceModelOptions)"/>.
/// An output is produced when its column name is set; at least one must be.</summary>
public sealed record SequenceModelOptions
{
    /// <summary>A model exported by <c>minrnn export</c> (ONNX with MinRnn metadata).</summary>
    public required string ModelFile { get; init; }

    /// <summary>A vector column of token ids: int32, int64, uint32, or a key (key k is id k − 1). Rows may differ in length.
    /// For a model trained on text (<c>classify</c>/<c>label</c> with text rows) also a text column: its characters are
    /// the steps, read with the model's alphabet as <c>minrnn</c> reads them (others are <c>unknown</c>).</summary>
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

    /// <summary>A <c>classify</c> model's answer, ML.NET's multiclass convention: a key of C values, key j + 1 the class of
    /// Score's slot j; its key values are the class names as text (integer labels: their decimal form, e.g. "3"), so
    /// <c>MapKeyToValue</c> gives the name. With a label key (<see cref="LabelColumnName"/>) it is the label's key type,
    /// in the label's order, its key values the label's as text. Other tasks: not produced.</summary>
    public string? PredictedLabelColumnName { get; init; } = "PredictedLabel";

    /// <summary>A <c>classify</c> model's class probabilities, float vector [C] with the class names as slot names: the
    /// softmax over the class tokens' logits at the row's last step (at step T, the model's training length, for a
    /// longer row), as <c>minrnn predict</c> computes them; in the model's class order, or in the order of
    /// <see cref="LabelColumnName"/>'s key. Other tasks: not produced.</summary>
    public string? ScoreColumnName { get; init; } = "Score";

    /// <summary><c>classify</c> only: the label column (ML.NET's default name, as the evaluator's). When the input has it as
    /// a key with key values (e.g. from <c>MapValueToKey</c>), those must name exactly the model's classes, and Score's
    /// slots and PredictedLabel's keys follow this key's order, whatever order it was built in, so
    /// <c>MulticlassClassification.Evaluate</c> scores the right classes; the order is taken at Fit. A fitted component
    /// refuses data whose label key has other key values or another order. Absent, or not a key: not read, and the
    /// model's class order is used. null: never read.</summary>
    public string? LabelColumnName { get; init; } = "Label";

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
