using Microsoft.ML.OnnxRuntime;

namespace MinRnn.Onnx.Format;

/// <summary>The one ONNX Runtime inference service for MinRnn graphs: a session opened the one way (OnnxSessions) and the
/// one way calls are made on it: the sequence input, the lengths of right-padded rows when the caller has them
/// (RowPadding), any further inputs (carried states) and the outputs asked for. `minrnn predict --onnx`, `generate`
/// and `forecast` (OnnxModel) and the ML.NET component's batches (BatchRunner) all run through it.</summary>
public sealed class SequenceSession : IDisposable
{
    private readonly InferenceSession session;

    /// <summary>A session on the CPU or on CUDA device <paramref name="cudaDevice"/> (CudaUnavailableException otherwise);
    /// threads 0: ONNX Runtime's default.</summary>
    public SequenceSession(byte[] model, int? cudaDevice = null, int threads = 0) => session = OnnxSessions.Open(model, cudaDevice, threads);

    /// <summary>One call. <paramref name="lengths"/> (one per row) goes to the graph's lengths input (Signature.Lengths);
    /// the inputs stay the caller's, the results are the caller's to dispose.</summary>
    public IDisposableReadOnlyCollection<OrtValue> Run(string input, OrtValue sequence, long[]? lengths, IReadOnlyList<string> outputs,
        IEnumerable<(string Name, OrtValue Value)>? more = null)
    {
        using var lengthsValue = lengths is null ? null : OrtValue.CreateTensorValueFromMemory(lengths, [lengths.Length]);
        var names = new List<string> { input };
        var values = new List<OrtValue> { sequence };
        if (lengthsValue is not null)
        {
            names.Add(Signature.Lengths);
            values.Add(lengthsValue);
        }
        foreach (var (name, value) in more ?? [])
        {
            names.Add(name);
            values.Add(value);
        }
        using var run = new RunOptions();
        return session.Run(run, names, values, outputs);
    }

    public void Dispose() => session.Dispose();
}
