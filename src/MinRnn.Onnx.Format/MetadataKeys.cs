namespace MinRnn.Onnx.Format;

/// <summary>The keys of a MinRnn file's metadata_props: what a loader needs without side files. The exporter writes
/// them (the task's entries through the task's own Metadata()), <see cref="ModelHeader"/> reads them.</summary>
public static class MetadataKeys
{
    public const string MinRnnVersion = "minrnn_version";
    public const string Cell = "cell";
    public const string Layers = "layers";
    public const string Vocab = "vocab";
    public const string Dim = "dim";
    /// <summary>scan, chunked or native.</summary>
    public const string Form = "form";
    /// <summary>Steps per chunk, written for the chunked form only.</summary>
    public const string ChunkSize = "chunk_size";
    /// <summary>The state input names, comma-separated, in graph order.</summary>
    public const string States = "states";
    /// <summary>The model configuration as compact JSON.</summary>
    public const string ModelConfig = "model_config";

    public const string Task = "task";
    public const string TaskSeqLen = "task_seq_len";
    /// <summary>A JSON object of the task's options (missing in version-1 selective-copying files).</summary>
    public const string TaskOptions = "task_options";
    /// <summary>A JSON object of special token name → id (missing in version-1 selective-copying files).</summary>
    public const string SpecialTokens = "special_tokens";
    /// <summary>Selective copying only: K, its marker's and its noise token's ids.</summary>
    public const string TaskTokens = "task_tokens";
    public const string MarkerToken = "marker_token";
    public const string NoiseToken = "noise_token";

    /// <summary>The <see cref="Task"/> of a selective-copying model (its name in MinRnn files since version 1).</summary>
    public const string SelectiveCopyingTask = "selective_copying";

    /// <summary>Every key a MinRnn file may carry.</summary>
    public static readonly IReadOnlyList<string> All =
    [
        MinRnnVersion, Cell, Layers, Vocab, Dim, Form, ChunkSize, States, ModelConfig,
        Task, TaskSeqLen, TaskOptions, SpecialTokens, TaskTokens, MarkerToken, NoiseToken,
    ];
}
