using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Runtime;
using MinRnn.Onnx.Tests.Export;
using MinRnn.Onnx.Verify;
using MinRnn.Tasks;

namespace MinRnn.Onnx.Tests.MlNet;

/// <summary>The ML.NET component on models of tasks other than selective copying (parity, MQAR): its Info carries the
/// task, and on the task's evaluation rows its predictions and logits equal ONNX Runtime's on the same file.</summary>
public class TaskModelTests
{
    public sealed class Row { [VectorType] public long[] Tokens { get; set; } = []; }

    [Theory]
    [InlineData("parity", "mingru")]
    [InlineData("associative-recall", "mingru")]
    [InlineData("parity", "gru")]
    public void ComponentEqualsOnnxRuntime(string taskName, string cell)
    {
        using var tmp = new TempFolder();
        var (model, task, path) = TaskExportTests.Export(tmp, taskName, cell, OnnxForm.Scan);
        model.Dispose();
        using var batch = task.Sample(12, Seeds.Evaluation(1), TaskSplit.Evaluation);
        var (b, t) = ((int)batch.Inputs.shape[0], (int)batch.Inputs.shape[1]);
        var tokens = batch.Inputs.data<long>().ToArray();

        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(tokens.Chunk(t).Select(r => new Row { Tokens = r }));
        using var component = ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = path, LogitsColumnName = "Logits" }).Fit(data);
        Assert.Equal(task.Name, component.Info.Task);
        Assert.Equal(task.Vocabulary.Special.ToDictionary(p => p.Key, p => (long)p.Value), component.Info.SpecialTokens);
        var output = component.Transform(data);
        var predictions = output.GetColumn<long[]>("Predictions").ToArray();
        var logits = output.GetColumn<float[]>("Logits").ToArray();

        using var onnx = OnnxModel.Load(path, threads: 1);
        var direct = onnx.Run(tokens, b, t);
        Assert.Equal(direct.Predictions, predictions.SelectMany(p => p));
        RelativeError.AssertWithin([.. logits.SelectMany(l => l)], direct.Logits, 1e-5, $"{taskName}: logits");
    }
}
