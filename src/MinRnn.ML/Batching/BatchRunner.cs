using Microsoft.ML.OnnxRuntime;
using MinRnn.ML.Onnx;
using MinRnn.Onnx.Format;

namespace MinRnn.ML.Batching;

/// <summary>Runs the component's rewritten model on several rows of one length in one ONNX Runtime call and hands each
/// row its slice of every requested output (the same graph, provider and outputs ML.NET's OnnxTransformer runs per row).</summary>
internal sealed class BatchRunner : IDisposable
{
    private readonly InferenceSession session;
    private readonly string input;
    private readonly string[] outputs;

    public BatchRunner(byte[] model, string input, IReadOnlyList<RequestedOutput> outputs, int? cudaDevice)
    {
        session = OnnxSessions.Open(model, cudaDevice);
        this.input = input;
        this.outputs = outputs.Select(o => o.GraphName).ToArray();
    }

    public IReadOnlyList<string> Outputs => outputs;

    /// <summary>Rows of equal length → per output, per row, its values (logits flattened row-major as OnnxTransformer does).</summary>
    public Array[][] Run(long[][] rows)
    {
        var time = rows[0].Length;
        var tokens = new long[rows.Length * time];
        for (var r = 0; r < rows.Length; r++) rows[r].CopyTo(tokens, r * time);
        using var value = OrtValue.CreateTensorValueFromMemory(tokens, [rows.Length, time]);
        using var run = new RunOptions();
        using var results = session.Run(run, [input], [value], outputs);
        var perOutput = new Array[outputs.Length][];
        for (var o = 0; o < outputs.Length; o++)
        {
            var result = results[o];
            var perRow = (int)(result.GetTensorTypeAndShape().ElementCount / rows.Length);
            perOutput[o] = result.GetTensorTypeAndShape().ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Int64
                ? Slice(result.GetTensorDataAsSpan<long>(), rows.Length, perRow)
                : Slice(result.GetTensorDataAsSpan<float>(), rows.Length, perRow);
        }
        return perOutput;
    }

    private static Array[] Slice<T>(ReadOnlySpan<T> data, int rows, int perRow)
    {
        var sliced = new Array[rows];
        for (var r = 0; r < rows; r++) sliced[r] = data.Slice(r * perRow, perRow).ToArray();
        return sliced;
    }

    public void Dispose() => session.Dispose();
}
