namespace MinRnn.Runs;

/// <summary>The metadata keys the model library writes into the files it makes (an ONNX file's metadata_props through the
/// task's Metadata(), a safetensors header's __metadata__). The ONNX side reads them through MinRnn.Onnx.Format's
/// MetadataKeys, which spells the same keys (a test holds the two equal).</summary>
public static class FileMetadataKeys
{
    public const string MinRnnVersion = "minrnn_version";
    public const string ModelConfig = "model_config";
    public const string Task = "task";
    public const string TaskSeqLen = "task_seq_len";
    public const string TaskOptions = "task_options";
    public const string SpecialTokens = "special_tokens";
    public const string TaskTokens = "task_tokens";
    public const string MarkerToken = "marker_token";
    public const string NoiseToken = "noise_token";
}
