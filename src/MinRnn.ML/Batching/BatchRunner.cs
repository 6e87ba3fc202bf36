using Microsoft.ML.OnnxRuntime;
using MinRnn.ML.Onnx;
using MinRnn.Onnx.Format;

namespace MinRnn.ML.Batching;

/// <summary>Runs the component's rewritten model on several rows in one ONNX Runtime call and hands each row its slice of
/// every requested output (the same graph, provider and outputs ML.NET's OnnxTransformer runs per row). With the lengths
/// input (<see cref="Ragged"/>) rows of any lengths share a call, right-padded, each row cut back to its own length;
/// without it (a file exported before lengths existed) a call takes rows of one length.</summary>
internal sealed class BatchRunner : IDisposable
{
    private readonly SequenceSession session;
    private readonly string input;
    private readonly RequestedOutput[] requested;
    private readonly string[] outputs;
    private readonly int width;

    /// <summary>`width` values make a step: 1 for token ids (int64 rows), a numeric model's F (float rows, flattened).</summary>
    public BatchRunner(byte[] model, string input, IReadOnlyList<RequestedOutput> outputs, int? cudaDevice, bool ragged, int width = 1)
    {
        this.width = width;
        session = new SequenceSession(model, cudaDevice);
        this.input = input;
        requested = [.. outputs];
        this.outputs = outputs.Select(o => o.GraphName).ToArray();
        Ragged = ragged;
    }

    /// <summary>Whether rows of different lengths may share a call.</summary>
    public bool Ragged { get; }

    /// <summary>Rows (of one length unless <see cref="Ragged"/>) → the call's outputs, read in place row by row (logits
    /// flattened row-major as OnnxTransformer does; a per-step output cut to the row's length). The caller disposes it.</summary>
    /// <remarks>Rows are long[] ids or float[] values (F per step); each is padded to the longest row's steps.</remarks>
    public BatchResult Run(Array[] rows)
    {
        var steps = rows.Select(r => r.Length / width).ToArray();
        var time = steps.Max();
        using var value = rows[0] is float[] ? Padded<float>(rows, time) : Padded<long>(rows, time);
        var results = session.Run(input, value, Ragged ? [.. steps.Select(t => (long)t)] : null, outputs);
        try
        {
            var perRow = new int[outputs.Length];
            var perStep = new int[outputs.Length];
            for (var o = 0; o < outputs.Length; o++)
            {
                perRow[o] = (int)(results[o].GetTensorTypeAndShape().ElementCount / rows.Length);
                perStep[o] = requested[o].Kind is ModelOutput.Predictions or ModelOutput.Logits || requested[o].State is { Grows: true } ? perRow[o] / time : 0;
            }
            return new BatchResult(results, perRow, perStep, steps);
        }
        catch
        {
            results.Dispose();
            throw;
        }
    }

    /// <summary>The rows right-padded with zeros to `time` steps: [rows, time · width].</summary>
    private OrtValue Padded<T>(Array[] rows, int time) where T : unmanaged =>
        OrtValue.CreateTensorValueFromMemory(RowPadding.Pad(rows.Cast<T[]>().ToList(), time, width), [rows.Length, time * width]);

    public void Dispose() => session.Dispose();
}

/// <summary>One call's outputs, kept in ONNX Runtime's memory until disposed: per output o, row r's values start at
/// r · perRow[o]; a per-step output (perStep[o] &gt; 0: the logits, the predictions, and a growing state, as the
/// transformer's cache from an empty one has one entry per step) has lengths[r] · perStep[o] real values, then padding.</summary>
internal sealed class BatchResult(IReadOnlyList<OrtValue> outputs, int[] perRow, int[] perStep, int[] lengths) : IDisposable
{
    public static readonly BatchResult Empty = new([], [], [], []);

    /// <summary>Row r's values of output o (valid until disposed).</summary>
    public ReadOnlySpan<T> Row<T>(int o, int r) where T : unmanaged =>
        outputs[o].GetTensorDataAsSpan<T>().Slice(r * perRow[o], perStep[o] > 0 ? lengths[r] * perStep[o] : perRow[o]);

    public void Dispose() => (outputs as IDisposable)?.Dispose();
}
