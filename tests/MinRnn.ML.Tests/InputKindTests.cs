using Microsoft.ML;
using Microsoft.ML.Data;

namespace MinRnn.ML.Tests;

/// <summary>int32, int64, uint32 and key columns (variable or fixed length) give the same outputs, before and after a
/// save → load.</summary>
public class InputKindTests
{
    private static readonly long[][] Same = Sequences.Mixed(6, 16, seed: 5, minLength: 20, maxLength: 20);

    public sealed class FixedRow { [VectorType(20)] public long[] Tokens { get; set; } = []; }

    private static (long[][] Predictions, float[][] Logits) Run<TRow>(TRow[] rows, bool reload) where TRow : class
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        ITransformer model = ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = Repo.Model("mingru"), LogitsColumnName = "Logits" }).Fit(data);
        if (reload)
        {
            using var stream = new MemoryStream();
            ml.Model.Save(model, data.Schema, stream);
            stream.Position = 0;
            ml = new MLContext();
            model = ml.Model.Load(stream, out _);
            data = ml.Data.LoadFromEnumerable(rows);
        }
        using var dispose = (IDisposable)model;
        var output = model.Transform(data);
        return (output.GetColumn<long[]>("Predictions").ToArray(), output.GetColumn<float[]>("Logits").ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EveryInputKindGivesTheSameOutputs(bool reload)
    {
        var expected = Run(Sequences.Rows(Same), reload);
        var kinds = new[]
        {
            Run(Same.Select(s => new IntRow { Tokens = s.Select(x => (int)x).ToArray() }).ToArray(), reload),
            Run(Same.Select(s => new UIntRow { Tokens = s.Select(x => (uint)x).ToArray() }).ToArray(), reload),
            Run(Same.Select(s => new KeyRow { Tokens = s.Select(x => (uint)x + 1).ToArray() }).ToArray(), reload),
            Run(Same.Select(s => new FixedRow { Tokens = s }).ToArray(), reload),
        };
        foreach (var (predictions, logits) in kinds)
        {
            Assert.Equal(expected.Predictions, predictions);
            Assert.Equal(expected.Logits, logits);
        }
    }

    [Fact]
    public void MlNetHasNoTorchSharpDependency()
    {
        var deps = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "MinRnn.ML.Tests.deps.json"));
        Assert.Contains("\"MinRnn.ML/", deps);
        Assert.Contains("\"MinRnn.Onnx.Format/", deps);                // the shared format is in the TorchSharp-free closure
        Assert.DoesNotContain("TorchSharp", deps);
        Assert.DoesNotContain("libtorch", deps);
        Assert.DoesNotContain("\"Microsoft.ML.OnnxRuntime/", deps); // the CPU package would replace the GPU one's library
    }
}
