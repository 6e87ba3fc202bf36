using Microsoft.ML.OnnxRuntime;
using MinRnn.Cells;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Graph;
using MinRnn.Onnx.Verify;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MinRnn.Onnx.Tests.Export;

/// <summary>The GRU/LSTM gate conversion on its own: one cell as the native ONNX op against TorchSharp, with weights
/// whose gate blocks differ in scale and bias and a non-zero initial state, so that every other gate order (and, for
/// GRU, linear_before_reset = 0) gives clearly different numbers.</summary>
public class GateOrderTests
{
    private const int Dim = 5, Time = 7, Batch = 3;

    [Fact]
    public void GruGateOrderAndLinearBeforeReset()
    {
        using var cell = Distinct(new Gru(new CellOptions(Dim)), gates: 3);
        var (x, h0) = Inputs(seed: 11);
        var (expected, _) = cell.call(x, new CellState(h0));
        var w = new Weights(cell.state_dict());

        Assert.True(Error(w, x, h0, expected, GruExport.GateOrder, 1) <= 1e-5);
        foreach (var order in Permutations([0, 1, 2]).Where(p => !p.SequenceEqual(GruExport.GateOrder)))
            Assert.True(Error(w, x, h0, expected, order, 1) > 1e-2, $"gate order [{string.Join(",", order)}] is not caught");
        Assert.True(Error(w, x, h0, expected, GruExport.GateOrder, 0) > 1e-2, "linear_before_reset = 0 is not caught");
    }

    [Fact]
    public void LstmGateOrder()
    {
        using var cell = Distinct(new Lstm(new CellOptions(Dim)), gates: 4);
        var (x, h0) = Inputs(seed: 12);
        using var c0 = randn(Batch, Dim) * 0.8;
        var (expected, _) = cell.call(x, new CellState(h0, c0));
        var w = new Weights(cell.state_dict());

        Assert.True(Error(w, x, h0, expected, LstmExport.GateOrder, c0: c0) <= 1e-5);
        foreach (var order in Permutations([0, 1, 2, 3]).Where(p => !p.SequenceEqual(LstmExport.GateOrder)))
            Assert.True(Error(w, x, h0, expected, order, c0: c0) > 1e-2, $"gate order [{string.Join(",", order)}] is not caught");
    }

    /// <summary>Gate block k: weights × (0.4 + 0.8k), biases + (1.5 − k).</summary>
    private static T Distinct<T>(T cell, int gates) where T : RecurrentCell
    {
        random.manual_seed(5);
        using (no_grad())
            foreach (var (name, p) in cell.named_parameters())
                for (var k = 0; k < gates; k++)
                {
                    var block = p.narrow(0, k * Dim, Dim);
                    if (name.StartsWith("rnn.weight")) block.copy_(randn_like(block) * (0.4 + 0.8 * k));
                    else block.copy_(randn_like(block) * 0.3 + (1.5 - k));
                }
        return cell;
    }

    private static (Tensor X, Tensor H0) Inputs(int seed)
    {
        random.manual_seed(seed);
        return (randn(Batch, Time, Dim), randn(Batch, Dim) * 0.8);
    }

    /// <summary>Relative error of the exported cell's output (with the given conversion) against TorchSharp's.</summary>
    private static double Error(Weights w, Tensor x, Tensor h0, Tensor expected, int[] order, long linearBeforeReset = 1, Tensor? c0 = null)
    {
        var g = new GraphBuilder("cell");
        g.Input("x", DataType.Float, Time, Batch, Dim);
        g.Input("h0", DataType.Float, Batch, Dim);
        string y;
        if (c0 is null)
            (y, _) = GruExport.Export(g, w, "", "x", "h0", order: order, linearBeforeReset: linearBeforeReset);
        else
        {
            g.Input("c0", DataType.Float, Batch, Dim);
            (y, _, _) = LstmExport.Export(g, w, "", "x", "h0", "c0", order: order);
        }
        g.Output(y, "y", DataType.Float, Time, Batch, Dim);
        var model = new ModelProto { IrVersion = OnnxExportOptions.IrVersion, Graph = g.Graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 17 });
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model));

        var feeds = new List<(string, Tensor)> { ("x", x.transpose(0, 1)), ("h0", h0) };
        if (c0 is not null) feeds.Add(("c0", c0));
        var values = feeds.Select(f => OrtValue.CreateTensorValueFromMemory(OnnxVerifier.Flat(f.Item2), f.Item2.shape)).ToList();
        using var results = session.Run(new RunOptions(), feeds.Select(f => f.Item1).ToList(), values, ["y"]);
        foreach (var v in values) v.Dispose();
        return RelativeError.Of(results[0].GetTensorDataAsSpan<float>().ToArray(), OnnxVerifier.Flat(expected.transpose(0, 1)));
    }

    private static IEnumerable<int[]> Permutations(int[] items) => items.Length <= 1
        ? [items]
        : items.SelectMany(first => Permutations([.. items.Where(i => i != first)]).Select(rest => (int[])[first, .. rest]));
}
