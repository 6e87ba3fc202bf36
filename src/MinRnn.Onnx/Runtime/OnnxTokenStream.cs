using MinRnn.Generation;

namespace MinRnn.Onnx.Runtime;

/// <summary>An exported model read piece by piece through ONNX Runtime: each call's final_* outputs are fed back as
/// the next call's state inputs (ORT keeps no state between calls). The stream owns the model.</summary>
public sealed class OnnxTokenStream(OnnxModel model) : ITokenStream
{
    private Dictionary<string, float[]>? state;

    public float[] Feed(long[] tokens)
    {
        var result = model.Run(tokens, 1, tokens.Length, state);
        state = model.States.ToDictionary(s => s.Input, s => result.States[s.Output]);
        return result.Logits[^result.Vocab..];
    }

    public void Dispose() => model.Dispose();
}
