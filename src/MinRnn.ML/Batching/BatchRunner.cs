using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using MinRnn.ML.Onnx;
using MinRnn.Onnx.Format;

namespace MinRnn.ML.Batching;

/// <summary>Runs the component's rewritten model on several rows in one ONNX Runtime call and hands each row its slice of
/// every requested output (the same graph, provider and outputs ML.NET's OnnxTransformer runs per row). With the lengths
/// input (<see cref="Ragged"/>) rows of any lengths share a call, right-padded, each row cut back to its own length;
/// without it (a file exported before lengths existed) a call takes rows of one length.</summary>
internal sealed class BatchRunner : IDisposable
{
    private readonly InferenceSession session;
    private readonly string input;
    private readonly RequestedOutput[] requested;
    private readonly string[] outputs;

    public BatchRunner(byte[] model, string input, IReadOnlyList<RequestedOutput> outputs, int? cudaDevice, bool ragged)
    {
        session = OnnxSessions.Open(model, cudaDevice);
        this.input = input;
        requested = [.. outputs];
        this.outputs = outputs.Select(o => o.GraphName).ToArray();
        Ragged = ragged;
    }

    public IReadOnlyList<string> Outputs => outputs;

    /// <summary>Whether rows of different lengths may share a call.</summary>
    public bool Ragged { get; }

    /// <summary>Rows (of one length unless <see cref="Ragged"/>) → per output, per row, its values (logits flattened
    /// row-major as OnnxTransformer does).</summary>
    public Array[][] Run(long[][] rows)
    {
        var time = rows.Max(r => r.Length);
        var tokens = new long[rows.Length * time];
        for (var r = 0; r < rows.Length; r++) rows[r].CopyTo(tokens, r * time);
        using var value = OrtValue.CreateTensorValueFromMemory(tokens, [rows.Length, time]);
        using var lengths = Ragged ? OrtValue.CreateTensorValueFromMemory(rows.Select(r => (long)r.Length).ToArray(), [rows.Length]) : null;
        using var run = new RunOptions();
        using var results = lengths is null ? session.Run(run, [input], [value], outputs)
            : session.Run(run, [input, Signature.Lengths], [value, lengths], outputs);
        var perOutput = new Array[outputs.Length][];
        for (var o = 0; o < outputs.Length; o++)
        {
            var result = results[o];
            var perRow = (int)(result.GetTensorTypeAndShape().ElementCount / rows.Length);
            var perStep = requested[o].Kind is ModelOutput.Predictions or ModelOutput.Logits || requested[o].State is { Grows: true } ? perRow / time : 0;
            perOutput[o] = result.GetTensorTypeAndShape().ElementDataType == TensorElementType.Int64
                ? Slice(result.GetTensorDataAsSpan<long>(), rows, perRow, perStep)
                : Slice(result.GetTensorDataAsSpan<float>(), rows, perRow, perStep);
        }
        return perOutput;
    }

    /// <summary>Row r's values: its first length·perStep of its perRow values for a per-step output (a growing state, the
    /// transformer's cache from an empty one, has one entry per step too), all of them otherwise.</summary>
    private static Array[] Slice<T>(ReadOnlySpan<T> data, long[][] rows, int perRow, int perStep)
    {
        var sliced = new Array[rows.Length];
        for (var r = 0; r < rows.Length; r++)
            sliced[r] = data.Slice(r * perRow, perStep > 0 ? rows[r].Length * perStep : perRow).ToArray();
        return sliced;
    }

    public void Dispose() => session.Dispose();
}
