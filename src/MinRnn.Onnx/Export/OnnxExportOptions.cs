using MinRnn.Onnx.Format;

namespace MinRnn.Onnx.Export;

/// <summary>How min cells evaluate h_t = a_t ⊙ h_{t−1} + b_t in the graph (GRU/LSTM always use the native ops).</summary>
public enum OnnxForm
{
    /// <summary>Gates as whole-sequence MatMuls, then one Scan per layer whose body is h = a ⊙ h + b.</summary>
    Scan,

    /// <summary>Parallel within chunks of C steps (a masked C × C segment sum, every exponent ≤ 0), a Scan across chunks.</summary>
    Chunked,
}

/// <summary>How the transformer's attention is written (docs/ONNX.md, "transformer"). Fused is the default: ONNX Runtime
/// runs it faster at every length measured (`bench infer --onnx-forms attention,fused-attention`).</summary>
public enum OnnxAttention
{
    /// <summary>Standard opset-17 ops only: MatMul of q and the cached keys, the causal mask as Where, Softmax, MatMul with
    /// the values (for runtimes without ONNX Runtime's contrib ops).</summary>
    Explicit,

    /// <summary>ONNX Runtime's com.microsoft MultiHeadAttention with the causal mask as its additive attention_bias.</summary>
    Fused,
}

/// <summary>Options of an ONNX export. Opset 17 with IR version 8 is what onnx.checker 1.12 and ORT's CUDA Scan accept.</summary>
/// <param name="Form">Recurrence form of the min cells.</param>
/// <param name="ChunkSize">C, steps per chunk in the chunked form.</param>
/// <param name="Opset">ONNX opset; only 17 is supported.</param>
/// <param name="Attention">The transformer's attention form (the other kinds have none).</param>
public sealed record OnnxExportOptions(OnnxForm Form = OnnxForm.Scan, int ChunkSize = 32, int Opset = Signature.Opset,
    OnnxAttention Attention = OnnxAttention.Fused)
{
    public const int IrVersion = Signature.IrVersion;
    public static readonly int[] SupportedOpsets = [Signature.Opset];

    public void Validate()
    {
        if (!SupportedOpsets.Contains(Opset)) throw new ArgumentException($"opset: {Opset} is not supported (only {string.Join(", ", SupportedOpsets)})");
        if (ChunkSize < 1 || ChunkSize > 1024) throw new ArgumentException($"chunk: must be in [1, 1024] (got {ChunkSize})");
    }
}
