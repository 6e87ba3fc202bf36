using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Verify;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Tests.MlNet;

/// <summary>The ML.NET component (MinRnn.ML, which has no TorchSharp) against the TorchSharp model it was exported from:
/// every cell, defaults and the option set with a conv state, rows of different lengths in one IDataView. Lives here
/// because this project may reference TorchSharp; MinRnn.ML's own tests compare with ONNX Runtime.</summary>
public class MlNetComponentTests
{
    public sealed class Row { [VectorType] public long[] Tokens { get; set; } = []; }

    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var cell in Export.CellExportersTests.Exported)
            foreach (var options in new[] { false, true })
                data.Add(cell, options);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MlNetMatchesTorchSharp(string cell, bool options)
    {
        var config = TestModels.Config(cell, options);
        using var model = TestModels.Build(config);
        using var tmp = new TempFolder();
        var path = tmp["model.onnx"];
        OnnxExporter.Export(model, TestModels.Task(config), new OnnxExportOptions(OnnxForm.Scan), path);

        var random = new Random(3);
        var rows = new[] { 1, 5, 23, 40, 5 }.Select(t => new Row { Tokens = Enumerable.Range(0, t).Select(_ => (long)random.Next(config.Vocab)).ToArray() }).ToArray();
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        using var component = ml.Transforms.ApplySequenceModel(new SequenceModelOptions
        {
            ModelFile = path, LogitsColumnName = "Logits", FinalStateColumnPrefix = "final_",
        }).Fit(data);
        var output = component.Transform(data);
        var predictions = output.GetColumn<long[]>("Predictions").ToArray();
        var logits = output.GetColumn<float[]>("Logits").ToArray();
        var specs = OnnxSignature.States(config);

        using var noGrad = no_grad();
        for (var i = 0; i < rows.Length; i++)
        {
            using var scope = NewDisposeScope();
            var (refLogits, refState) = model.call(tensor(rows[i].Tokens, [1, rows[i].Tokens.Length]), null);
            Assert.Equal(refLogits.argmax(-1).data<long>().ToArray(), predictions[i]);
            RelativeError.AssertWithin(logits[i], OnnxVerifier.Flat(refLogits), 1e-4, $"{cell} row {i}: logits");
            foreach (var s in specs)
            {
                var expected = s.Of(refState[s.Layer]);
                var actual = output.GetColumn<float[]>("final_" + s.Input).ElementAt(i);
                RelativeError.AssertWithin(actual, OnnxVerifier.Flat(expected), 1e-4, $"{cell} row {i}: {s.Input}");
            }
        }
    }
}
