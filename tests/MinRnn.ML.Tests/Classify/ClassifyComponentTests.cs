using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace MinRnn.ML.Tests.Classify;

public sealed class TextRow
{
    public string Text { get; set; } = "";
    public string Truth { get; set; } = "";
}

public sealed class Classified
{
    public uint PredictedLabel { get; set; }
    public float[] Score { get; set; } = [];
}

/// <summary>A classify model in ML.NET: PredictedLabel and Score equal `minrnn predict` (ONNX Runtime and TorchSharp) on
/// text rows of mixed lengths, in the model's class order or in a label key's; ML.NET's multiclass evaluator runs on the
/// output unchanged and gives the metrics counted by hand from `minrnn predict`'s answers; the key order trap is
/// either handled or refused.</summary>
public sealed class ClassifyComponentTests(ClassifyModel model) : IClassFixture<ClassifyModel>
{
    private static readonly string[] ModelOrder = ["many", "none", "some"];

    private static IDataView Rows(MLContext ml) =>
        ml.Data.LoadFromEnumerable(ClassifyModel.Texts.Select(t => new TextRow { Text = t, Truth = ClassifyModel.LabelOf(t) }));

    /// <summary>The rows with a Label key built by occurrence (some, none, many: not the model's order).</summary>
    private static IDataView Labelled(MLContext ml, ValueToKeyMappingEstimator.KeyOrdinality ordinality = ValueToKeyMappingEstimator.KeyOrdinality.ByOccurrence)
    {
        var rows = Rows(ml);
        return ml.Transforms.Conversion.MapValueToKey("Label", "Truth", keyOrdinality: ordinality).Fit(rows).Transform(rows);
    }

    private SequenceModelOptions Options(int batchSize = 1) => new() { ModelFile = model.Onnx, InputColumnName = "Text", BatchSize = batchSize };

    private static string[] KeyValues(DataViewSchema.Column column)
    {
        var values = default(VBuffer<ReadOnlyMemory<char>>);
        column.GetKeyValues(ref values);
        return [.. values.DenseValues().Select(v => v.ToString())];
    }

    private static string[] SlotNames(DataViewSchema.Column column)
    {
        var values = default(VBuffer<ReadOnlyMemory<char>>);
        column.GetSlotNames(ref values);
        return [.. values.DenseValues().Select(v => v.ToString())];
    }

    /// <summary>Each row's class name (through PredictedLabel's key values) and Score.</summary>
    private static (string[] Classes, float[][] Scores) Read(IDataView output)
    {
        var names = KeyValues(output.Schema["PredictedLabel"]);
        var keys = output.GetColumn<uint>("PredictedLabel").ToArray();
        return ([.. keys.Select(k => names[k - 1])], [.. output.GetColumn<float[]>("Score")]);
    }

    private static void AssertEqualsCli((string Class, Dictionary<string, double> Probabilities)[] cli, string[] classes, float[][] scores, string[] order,
        double tolerance, string what)
    {
        Assert.Equal(cli.Select(a => a.Class), classes);
        for (var r = 0; r < cli.Length; r++)
            RelativeError.AssertWithin([.. scores[r].Select(x => (double)x)], [.. order.Select(c => cli[r].Probabilities[c])], tolerance, 1.0, $"{what} row {r}");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void ModelOrderEqualsMinrnnPredictOnnxAndTorchSharp(int batchSize)
    {
        var ml = new MLContext(seed: 0);
        using var component = ml.Transforms.ApplySequenceModel(Options(batchSize)).Fit(Rows(ml));
        var output = component.Transform(Rows(ml));
        Assert.Equal(ModelOrder, KeyValues(output.Schema["PredictedLabel"]));
        Assert.Equal(ModelOrder, SlotNames(output.Schema["Score"]));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), output.Schema["Score"].Type);
        Assert.Equal(new KeyDataViewType(typeof(uint), 3), output.Schema["PredictedLabel"].Type);
        Assert.Equal(ModelOrder, component.ClassNames);

        var (classes, scores) = Read(output);
        AssertEqualsCli(model.OnnxAnswers, classes, scores, ModelOrder, 1e-5, "vs predict --onnx");
        AssertEqualsCli(model.TorchAnswers, classes, scores, ModelOrder, 1e-4, "vs predict --run");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void LabelKeyInOccurrenceOrderReordersScoreAndEvaluatesLikeAHandCount(int batchSize)
    {
        var ml = new MLContext(seed: 0);
        var data = Labelled(ml);
        string[] occurrence = ["some", "none", "many"];
        Assert.Equal(occurrence, KeyValues(data.Schema["Label"]));   // the trap: not the model's order

        using var component = ml.Transforms.ApplySequenceModel(Options(batchSize)).Fit(data);
        var output = component.Transform(data);
        Assert.Equal(occurrence, KeyValues(output.Schema["PredictedLabel"]));
        Assert.Equal(occurrence, SlotNames(output.Schema["Score"]));
        Assert.Equal(data.Schema["Label"].Type, output.Schema["PredictedLabel"].Type);
        var (classes, scores) = Read(output);
        AssertEqualsCli(model.OnnxAnswers, classes, scores, occurrence, 1e-5, "reordered vs predict --onnx");

        var metrics = ml.MulticlassClassification.Evaluate(output);
        var truth = ClassifyModel.Texts.Select(ClassifyModel.LabelOf).ToArray();
        var predicted = model.OnnxAnswers.Select(a => a.Class).ToArray();
        var micro = truth.Zip(predicted).Count(p => p.First == p.Second) / (double)truth.Length;
        var macro = truth.Distinct().Average(c => truth.Zip(predicted).Count(p => p.First == c && p.Second == c) / (double)truth.Count(t => t == c));
        var logLoss = truth.Select((t, r) => -Math.Log(Math.Max(1e-15, model.OnnxAnswers[r].Probabilities[t]))).Average();
        Assert.Equal(micro, metrics.MicroAccuracy, 12);
        Assert.Equal(macro, metrics.MacroAccuracy, 12);
        Assert.Equal(logLoss, metrics.LogLoss, 4);
        Assert.True(micro is > 0 and < 1, $"micro accuracy {micro}: the rows should hold right and wrong answers");
        Assert.Equal(3, metrics.ConfusionMatrix.NumberOfClasses);
        for (var i = 0; i < 3; i++)
            for (var j = 0; j < 3; j++)
                Assert.Equal(truth.Zip(predicted).Count(p => p.First == occurrence[i] && p.Second == occurrence[j]), metrics.ConfusionMatrix.Counts[i][j]);
    }

    [Fact]
    public void TheTrapIsRealWhenTheLabelIsNotRead()
    {
        // LabelColumnName = null: the model's order, while the key is in order of occurrence; the evaluator then pairs
        // Score's slots with the wrong classes, which the reordering above prevents (it shows the hand-count test can fail)
        var ml = new MLContext(seed: 0);
        var data = Labelled(ml);
        using var component = ml.Transforms.ApplySequenceModel(Options() with { LabelColumnName = null }).Fit(data);
        var metrics = ml.MulticlassClassification.Evaluate(component.Transform(data));
        var truth = ClassifyModel.Texts.Select(ClassifyModel.LabelOf).ToArray();
        var logLoss = truth.Select((t, r) => -Math.Log(Math.Max(1e-15, model.OnnxAnswers[r].Probabilities[t]))).Average();
        Assert.NotEqual(logLoss, metrics.LogLoss, 4);
    }

    [Fact]
    public void WithoutALabelKeyTheModelOrderEvaluatesAKeyBuiltInThatOrder()
    {
        var ml = new MLContext(seed: 0);
        var rows = Rows(ml);
        using var component = ml.Transforms.ApplySequenceModel(Options()).Fit(rows);   // no Label column at Fit
        var byValue = Labelled(ml, ValueToKeyMappingEstimator.KeyOrdinality.ByValue);   // many, none, some: the model's order
        var metrics = ml.MulticlassClassification.Evaluate(component.Transform(byValue));
        var truth = ClassifyModel.Texts.Select(ClassifyModel.LabelOf).ToArray();
        Assert.Equal(truth.Zip(model.OnnxAnswers).Count(p => p.First == p.Second.Class) / (double)truth.Length, metrics.MicroAccuracy, 12);
    }

    [Fact]
    public void ALabelKeyOfAnotherOrderThanAtFitIsRefused()
    {
        var ml = new MLContext(seed: 0);
        using var component = ml.Transforms.ApplySequenceModel(Options()).Fit(Rows(ml));   // the model's order
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => component.Transform(Labelled(ml)));
        Assert.Contains("label column 'Label' has the key values [some, none, many], but the component was fitted with [many, none, some]", error.Message);
    }

    [Fact]
    public void ALabelKeyWithOtherClassesIsAOneLineErrorNamingBoth()
    {
        var ml = new MLContext(seed: 0);
        var rows = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "ab", Truth = "some" }, new TextRow { Text = "b", Truth = "other" } });
        var data = ml.Transforms.Conversion.MapValueToKey("Label", "Truth").Fit(rows).Transform(rows);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ApplySequenceModel(Options()).Fit(data));
        Assert.StartsWith("MinRnn: label column 'Label' has the classes [some, other] but the model's are [many, none, some]; not in the label: many, none; not in the model: other", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void SchemaPropagationDeclaresTheKeyAndScoreSoMapKeyToValueCanFollow()
    {
        var ml = new MLContext(seed: 0);
        var data = Labelled(ml);
        var pipeline = ml.Transforms.ApplySequenceModel(Options()).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel"));
        var shape = pipeline.GetOutputSchema(WorkoutTests.Shape(data.Schema));
        Assert.IsType<TextDataViewType>(shape.Single(c => c.Name == "PredictedName").ItemType);
        Assert.Equal(SchemaShape.Column.VectorKind.Vector, shape.Single(c => c.Name == "Score").Kind);
        using var fitted = pipeline.Fit(data);
        Assert.Equal(model.OnnxAnswers.Select(a => a.Class), fitted.Transform(data).GetColumn<string>("PredictedName"));
    }

    [Fact]
    public void SavedAndLoadedPipelineGivesTheSameColumnsAnnotationsAndMetrics()
    {
        var ml = new MLContext(seed: 0);
        var data = Labelled(ml);
        using var component = ml.Transforms.ApplySequenceModel(Options()).Fit(data);
        var before = component.Transform(data);
        var path = model[$"pipeline-{Guid.NewGuid():N}.zip"];
        ml.Model.Save(component, data.Schema, path);

        var fresh = new MLContext(seed: 1);
        var loaded = fresh.Model.Load(path, out _);
        try
        {
            var after = loaded.Transform(data);
            Assert.Equal(before.Schema["PredictedLabel"].Type, after.Schema["PredictedLabel"].Type);
            Assert.Equal(KeyValues(before.Schema["PredictedLabel"]), KeyValues(after.Schema["PredictedLabel"]));
            Assert.Equal(SlotNames(before.Schema["Score"]), SlotNames(after.Schema["Score"]));
            Assert.Equal(before.GetColumn<uint>("PredictedLabel"), after.GetColumn<uint>("PredictedLabel"));
            Assert.Equal(before.GetColumn<float[]>("Score").SelectMany(s => s), after.GetColumn<float[]>("Score").SelectMany(s => s));
            Assert.Equal(ml.MulticlassClassification.Evaluate(before).LogLoss, fresh.MulticlassClassification.Evaluate(after).LogLoss);
        }
        finally { (loaded as IDisposable)?.Dispose(); }
    }

    [Fact]
    public async Task OneFittedComponentFromFourThreadsGivesTheOneThreadOutputs()
    {
        var ml = new MLContext(seed: 0);
        var texts = Enumerable.Range(0, 200).Select(i => ClassifyModel.Texts[i % ClassifyModel.Texts.Length] + new string("abc z"[i % 5], i % 7)).ToArray();
        var data = ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }));
        foreach (var batchSize in new[] { 1, 8 })
        {
            using var component = ml.Transforms.ApplySequenceModel(Options(batchSize)).Fit(data);
            var expected = component.Transform(data).GetColumn<float[]>("Score").ToArray();
            var keys = component.Transform(data).GetColumn<uint>("PredictedLabel").ToArray();

            // each thread: its own cursor over the transformed view, and its own PredictionEngine (which must not own, and so
            // dispose, the shared component)
            var cursors = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
                (component.Transform(data).GetColumn<float[]>("Score").ToArray(), component.Transform(data).GetColumn<uint>("PredictedLabel").ToArray()))).ToArray();
            var engines = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
            {
                using var engine = ml.Model.CreatePredictionEngine<TextRow, Classified>(component, new PredictionEngineOptions { OwnsTransformer = false });
                return texts.Select(t => engine.Predict(new TextRow { Text = t })).Select(c => (c.Score, c.PredictedLabel)).ToArray();
            })).ToArray();
            await Task.WhenAll([.. cursors, .. engines]);
            foreach (var (scores, labels) in cursors.Select(t => t.Result))
            {
                Assert.Equal(keys, labels);
                Assert.Equal(expected.SelectMany(s => s), scores.SelectMany(s => s));
            }
            foreach (var answers in engines.Select(t => t.Result))
            {
                Assert.Equal(keys, answers.Select(a => a.PredictedLabel));
                Assert.Equal(expected.SelectMany(s => s), answers.SelectMany(a => a.Score));
            }
        }
    }
}
