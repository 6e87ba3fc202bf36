using Microsoft.ML;

namespace MinRnn.ML;

/// <summary>MinRnn's entry points on <c>mlContext.Transforms</c>.</summary>
public static class SequenceModelCatalog
{
    /// <summary>Applies a MinRnn model (<c>minrnn export</c>) to a vector column of token ids and writes its per-step
    /// predictions (int64 vector, one per token) to <paramref name="outputColumnName"/>.</summary>
    /// <param name="catalog">The transforms catalog.</param>
    /// <param name="modelFile">The ONNX file.</param>
    /// <param name="inputColumnName">A vector column of token ids (int32, int64, uint32 or key); rows may differ in length.</param>
    /// <param name="outputColumnName">The predictions column.</param>
    public static SequenceModelEstimator ApplySequenceModel(this TransformsCatalog catalog, string modelFile, string inputColumnName, string outputColumnName)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequenceModelEstimator(catalog, new SequenceModelOptions
        {
            ModelFile = modelFile,
            InputColumnName = inputColumnName,
            PredictionsColumnName = outputColumnName,
        });
    }

    /// <summary>Applies a MinRnn model with every choice in <paramref name="options"/>: which outputs (predictions,
    /// logits, last-step logits, final states) under which names, and where to run (CPU, or a CUDA device with an optional
    /// fall-back to the CPU).</summary>
    public static SequenceModelEstimator ApplySequenceModel(this TransformsCatalog catalog, SequenceModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return new SequenceModelEstimator(catalog, options);
    }
}
