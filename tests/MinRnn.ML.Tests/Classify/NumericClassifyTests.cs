using Microsoft.ML;
using Microsoft.ML.Data;

namespace MinRnn.ML.Tests.Classify;

/// <summary>A tiny classify model trained by the built `minrnn` on numeric rows (F = 3 features a step on scales far
/// apart, so the model's own standardisation matters; 1 … 8 steps), with `minrnn predict --onnx` and `--run` answers
/// on other numeric rows of mixed lengths as the references.</summary>
public sealed class NumericClassifyModel : IDisposable
{
    public const int F = 3;

    private readonly TempFolder folder = new();

    /// <summary>A step of three features (means 50, −3, 0.01), as floats so the JSON rows hold exactly the component's values.</summary>
    private static double[] Step(Random random) =>
        [(float)(50 + 10 * random.NextDouble()), (float)(-3 + random.NextDouble()), (float)(0.01 * random.NextDouble())];

    public static double[][] Steps(Random random, int length) => [.. Enumerable.Range(0, length).Select(_ => Step(random))];

    public static string LabelOf(double[][] steps) => steps.Average(s => s[0]) > 55 ? "high" : "low";

    /// <summary>The rows to predict: lengths 1 … 8 in no order (T = 8, the longest training row, cuts none).</summary>
    public static readonly double[][][] Rows = [.. new[] { 3, 1, 8, 5, 2, 7, 4, 6, 1, 8, 3, 5 }.Select((t, i) => Steps(new Random(100 + i), t))];

    public NumericClassifyModel()
    {
        var random = new Random(7);
        (Run, Onnx, OnnxAnswers, TorchAnswers) = ClassifyModel.Train(folder,
            Enumerable.Range(0, 60).Select(i => Steps(random, 1 + i % 8)).Select(s => (object)new { input = s, label = LabelOf(s) }),
            Rows.Select(s => (object)new { input = s }));
    }

    public string Run { get; }

    public string Onnx { get; }

    public (string Class, Dictionary<string, double> Probabilities)[] OnnxAnswers { get; }

    public (string Class, Dictionary<string, double> Probabilities)[] TorchAnswers { get; }

    public string this[string name] => folder[name];

    public void Dispose() => folder.Dispose();
}

public sealed class NumericRow
{
    [VectorType] public float[] Steps { get; set; } = [];
    public string Truth { get; set; } = "";
}

public sealed class DoubleRow { [VectorType] public double[] Steps { get; set; } = []; }

public sealed class IntRow { [VectorType] public int[] Steps { get; set; } = []; }

/// <summary>A numeric classify model in ML.NET: a float vector column (F values per step, flattened) gives PredictedLabel and
/// Score equal to `minrnn predict --onnx` and `--run`, row by row and batched; ML.NET's multiclass evaluator runs on the
/// output; the saved pipeline computes the same; a column of another type, a row whose length is not a multiple of F, an
/// empty row or a NaN are one-line errors.</summary>
public sealed class NumericClassifyTests(NumericClassifyModel model) : IClassFixture<NumericClassifyModel>
{
    private static float[] Flat(double[][] steps) => [.. steps.SelectMany(s => s.Select(x => (float)x))];

    private static IDataView Labelled(MLContext ml)
    {
        var rows = ml.Data.LoadFromEnumerable(NumericClassifyModel.Rows.Select(s => new NumericRow { Steps = Flat(s), Truth = NumericClassifyModel.LabelOf(s) }));
        return ml.Transforms.Conversion.MapValueToKey("Label", "Truth").Fit(rows).Transform(rows);
    }

    private SequenceModelOptions Options(int batchSize = 1) => new() { ModelFile = model.Onnx, InputColumnName = "Steps", BatchSize = batchSize };

    private static string[] KeyValues(DataViewSchema.Column column)
    {
        var values = default(VBuffer<ReadOnlyMemory<char>>);
        column.GetKeyValues(ref values);
        return [.. values.DenseValues().Select(v => v.ToString())];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void ScoreAndPredictedLabelEqualMinrnnPredictOnnxAndRunAndEvaluate(int batchSize)
    {
        var ml = new MLContext(seed: 0);
        var data = Labelled(ml);
        using var component = ml.Transforms.ApplySequenceModel(Options(batchSize)).Fit(data);
        var output = component.Transform(data);
        var order = component.ClassNames;
        Assert.Equal(2, order.Count);
        var names = KeyValues(output.Schema["PredictedLabel"]);
        var classes = output.GetColumn<uint>("PredictedLabel").Select(k => names[k - 1]).ToArray();
        var scores = output.GetColumn<float[]>("Score").ToArray();
        foreach (var (cli, tolerance, what) in new[] { (model.OnnxAnswers, 1e-5, "predict --onnx"), (model.TorchAnswers, 1e-4, "predict --run") })
        {
            Assert.Equal(cli.Select(a => a.Class), classes);
            for (var r = 0; r < cli.Length; r++)
                RelativeError.AssertWithin([.. scores[r].Select(x => (double)x)], [.. order.Select(c => cli[r].Probabilities[c])], tolerance, 1.0, $"vs {what} row {r}");
        }

        var metrics = ml.MulticlassClassification.Evaluate(output);
        var truth = NumericClassifyModel.Rows.Select(NumericClassifyModel.LabelOf).ToArray();
        Assert.Equal(truth.Zip(classes).Count(p => p.First == p.Second) / (double)truth.Length, metrics.MicroAccuracy, 12);
        var logLoss = truth.Select((t, r) => -Math.Log(Math.Max(1e-15, model.OnnxAnswers[r].Probabilities[t]))).Average();
        Assert.Equal(logLoss, metrics.LogLoss, 4);
    }

    [Fact]
    public void SavedAndLoadedPipelineComputesTheSame()
    {
        var ml = new MLContext(seed: 0);
        var data = Labelled(ml);
        using var component = ml.Transforms.ApplySequenceModel(Options()).Fit(data);
        var before = component.Transform(data);
        var path = model[$"numeric-{Guid.NewGuid():N}.zip"];
        ml.Model.Save(component, data.Schema, path);
        var loaded = new MLContext(seed: 1).Model.Load(path, out _);
        try
        {
            var after = loaded.Transform(data);
            Assert.Equal(before.GetColumn<uint>("PredictedLabel"), after.GetColumn<uint>("PredictedLabel"));
            Assert.Equal(before.GetColumn<float[]>("Score").SelectMany(s => s), after.GetColumn<float[]>("Score").SelectMany(s => s));
        }
        finally { (loaded as IDisposable)?.Dispose(); }
    }

    [Fact]
    public void AColumnOfAnotherTypeIsAOneLineErrorNamingIt()
    {
        var ml = new MLContext(seed: 0);
        var doubles = ml.Data.LoadFromEnumerable(new[] { new DoubleRow { Steps = [1, 2, 3] } });
        var ints = ml.Data.LoadFromEnumerable(new[] { new IntRow { Steps = [1, 2, 3] } });
        foreach (var (data, type) in new[] { (doubles, "Double"), (ints, "Int32") })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ApplySequenceModel(Options()).Fit(data));
            Assert.Contains($"input column 'Steps' is Vector<{type}>; it must be a vector of float32 values, 3 per step", e.Message);
            Assert.Single(e.Message.Split('\n'));
            var shape = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ApplySequenceModel(Options()).GetOutputSchema(WorkoutTests.Shape(data.Schema)));
            Assert.Contains("input column 'Steps' is a vector of " + type, shape.Message);
        }
        var missing = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ApplySequenceModel(Options() with { InputColumnName = "Values" }).Fit(doubles));
        Assert.Contains("input column 'Values' not found; it must be a vector of float32 values, 3 per step", missing.Message);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void BadRowsAreOneLineErrors(int batchSize)
    {
        var cases = new (float[] Values, string Message)[]
        {
            ([1, 2, 3, 4], "numeric row of 4 values is not a multiple of F = 3 (values per step, flattened step by step)"),
            ([], "empty numeric row; every row needs at least one step"),
            ([1, 2, 3, 4, float.NaN, 6], "numeric row has NaN at step 1, feature 1; every value must be finite"),
            ([1, 2, float.PositiveInfinity], "at step 0, feature 2; every value must be finite"),
        };
        foreach (var (values, message) in cases)
        {
            var ml = new MLContext(seed: 0);
            var good = new NumericRow { Steps = Flat(NumericClassifyModel.Rows[0]) };
            var data = ml.Data.LoadFromEnumerable(new[] { good, new NumericRow { Steps = values } });
            using var component = ml.Transforms.ApplySequenceModel(Options(batchSize) with { LabelColumnName = null }).Fit(data);
            var e = Record.Exception(() => component.Transform(data).GetColumn<float[]>("Score").ToList());
            while (e is not null and not InvalidTokenSequenceException) e = e.InnerException;
            Assert.True(e is not null, $"no row error for [{string.Join(", ", values)}]");
            Assert.Contains(message, e.Message);
            Assert.Single(e.Message.Split('\n'));
        }
    }

    [Fact]
    public void ATokenColumnForANumericModelIsRefused()
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(new[] { new LongRow { Tokens = [1, 2, 3] } });
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ApplySequenceModel(Options() with { InputColumnName = "Tokens" }).Fit(data));
        Assert.Contains("input column 'Tokens' is Vector<Int64>; it must be a vector of float32 values, 3 per step", e.Message);
    }
}
