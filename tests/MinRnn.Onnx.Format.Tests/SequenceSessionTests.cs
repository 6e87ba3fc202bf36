using Microsoft.ML.OnnxRuntime;
using MinRnn.Onnx.Graph;
using static Onnx.TensorProto.Types;

namespace MinRnn.Onnx.Format.Tests;

/// <summary>The one inference call: the sequence, the lengths (to the graph's lengths input, only when given) and further
/// inputs reach the graph by name, and the outputs asked for come back in that order. The graph here echoes its inputs
/// (sequence ids (B, T) → y: ids + 1; lengths → l; state s (B, 2) → s_out: 2·s).</summary>
public class SequenceSessionTests
{
    private static byte[] Echo(bool withLengths)
    {
        var g = new GraphBuilder("echo");
        g.Input("ids", DataType.Int64, "batch", "time");
        g.Input("s", DataType.Float, "batch", 2L);
        g.Node("Add", ["ids", g.Ints([1], scalar: true)], ["y"]);
        g.Node("Add", ["s", "s"], ["s_out"]);
        g.Output("y", DataType.Int64, "batch", "time");
        g.Output("s_out", DataType.Float, "batch", 2L);
        if (withLengths)
        {
            g.Input(Signature.Lengths, DataType.Int64, "batch");
            g.Output(Signature.Lengths, "l", DataType.Int64, "batch");
        }
        return Google.Protobuf.MessageExtensions.ToByteArray(g.Model("MinRnn"));
    }

    [Fact]
    public void EveryInputReachesTheGraphAndTheOutputsComeInTheOrderAsked()
    {
        using var session = new SequenceSession(Echo(withLengths: true));
        using var ids = OrtValue.CreateTensorValueFromMemory(new long[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        using var s = OrtValue.CreateTensorValueFromMemory(new float[] { 0.5f, -1, 2, 3 }, [2, 2]);
        using var results = session.Run("ids", ids, [3, 1], ["l", "s_out", "y"], [("s", s)]);
        Assert.Equal([3L, 1], results[0].GetTensorDataAsSpan<long>().ToArray());
        Assert.Equal([1f, -2, 4, 6], results[1].GetTensorDataAsSpan<float>().ToArray());
        Assert.Equal([2L, 3, 4, 5, 6, 7], results[2].GetTensorDataAsSpan<long>().ToArray());
    }

    [Fact]
    public void WithoutLengthsTheGraphGetsNone()
    {
        using var session = new SequenceSession(Echo(withLengths: false));
        using var ids = OrtValue.CreateTensorValueFromMemory(new long[] { 7 }, [1, 1]);
        using var s = OrtValue.CreateTensorValueFromMemory(new float[] { 1, 1 }, [1, 2]);
        using var results = session.Run("ids", ids, null, ["y"], [("s", s)]);
        Assert.Equal([8L], results[0].GetTensorDataAsSpan<long>().ToArray());
        // a graph without the lengths input refuses them: the call names what the graph lacks
        Assert.ThrowsAny<OnnxRuntimeException>(() => session.Run("ids", ids, [1], ["y"], [("s", s)]).Dispose());
    }
}
