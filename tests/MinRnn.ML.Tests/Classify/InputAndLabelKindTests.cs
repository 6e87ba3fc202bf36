using Microsoft.ML;
using Microsoft.ML.Data;

namespace MinRnn.ML.Tests.Classify;

public sealed class TokenRow
{
    [VectorType] public long[] Tokens { get; set; } = [];
    public int Truth { get; set; }
}

/// <summary>The other input and label kinds: token ids into a text model (the graph's alphabet lookup against the
/// alphabet read here), integer labels (PredictedLabel's key values are their decimal forms; a label key of int32 values
/// gives its key type and order), a text column for a model that reads token ids only, an empty text.</summary>
public sealed class InputAndLabelKindTests(ClassifyModel text, IntegerLabelModel integers) : IClassFixture<ClassifyModel>, IClassFixture<IntegerLabelModel>
{
    [Fact]
    public void TokenIdsIntoATextModelGiveTheTextColumnsAnswers()
    {
        var ml = new MLContext(seed: 0);
        var rows = ml.Data.LoadFromEnumerable(ClassifyModel.Texts.Select(t => new TextRow { Text = t }));
        using var fromText = ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = text.Onnx, InputColumnName = "Text" }).Fit(rows);

        // encoded here as docs/OWN_DATA.md says: character i of the alphabet is id i, any other is "unknown" (the next id)
        var alphabet = fromText.Info.TaskOptions["alphabet"].EnumerateRunes().Select((r, i) => (r.Value, i)).ToDictionary(p => p.Value, p => (long)p.i);
        var unknown = fromText.Info.SpecialTokens["unknown"];
        Assert.Equal(alphabet.Count, unknown);
        var ids = ml.Data.LoadFromEnumerable(ClassifyModel.Texts.Select(t => new TokenRow { Tokens = [.. t.EnumerateRunes().Select(r => alphabet.GetValueOrDefault(r.Value, unknown))] }));
        using var fromIds = ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = text.Onnx, InputColumnName = "Tokens" }).Fit(ids);

        Assert.Equal(fromText.Transform(rows).GetColumn<uint>("PredictedLabel"), fromIds.Transform(ids).GetColumn<uint>("PredictedLabel"));
        Assert.Equal(fromText.Transform(rows).GetColumn<float[]>("Score").SelectMany(s => s), fromIds.Transform(ids).GetColumn<float[]>("Score").SelectMany(s => s));
        Assert.Equal(fromText.Transform(rows).GetColumn<long[]>("Predictions").SelectMany(s => s), fromIds.Transform(ids).GetColumn<long[]>("Predictions").SelectMany(s => s));
    }

    [Fact]
    public void IntegerLabelsArePredictedWithTheirDecimalFormsAsKeyValues()
    {
        var ml = new MLContext(seed: 0);
        var rows = ml.Data.LoadFromEnumerable(IntegerLabelModel.Rows.Select(r => new TokenRow { Tokens = r, Truth = IntegerLabelModel.LabelOf(r) }));
        using var component = ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = integers.Onnx }).Fit(rows);
        var output = component.Transform(rows);
        var values = default(VBuffer<ReadOnlyMemory<char>>);
        output.Schema["PredictedLabel"].GetKeyValues(ref values);
        Assert.Equal(["10", "20", "30"], values.DenseValues().Select(v => v.ToString()));
        var predicted = output.GetColumn<uint>("PredictedLabel").Select(k => values.GetItemOrDefault((int)k - 1).ToString()).ToArray();
        Assert.Equal(integers.OnnxAnswers.Select(a => a.Class), predicted);
        Assert.Equal(predicted, ml.Transforms.Conversion.MapKeyToValue("Name", "PredictedLabel").Fit(output).Transform(output).GetColumn<string>("Name"));
        var scores = output.GetColumn<float[]>("Score").ToArray();
        for (var r = 0; r < scores.Length; r++)
            RelativeError.AssertWithin([.. scores[r].Select(x => (double)x)], [.. new[] { "10", "20", "30" }.Select(c => integers.OnnxAnswers[r].Probabilities[c])], 1e-5, 1.0, $"row {r}");
    }

    [Fact]
    public void AnInt32LabelKeyGivesItsTypeAndOrderAndEvaluates()
    {
        var ml = new MLContext(seed: 0);
        var reversed = IntegerLabelModel.Rows.Reverse().ToArray();   // labels first occur as 30, 10, 20
        var answers = integers.OnnxAnswers.Reverse().ToArray();
        var rows = ml.Data.LoadFromEnumerable(reversed.Select(r => new TokenRow { Tokens = r, Truth = IntegerLabelModel.LabelOf(r) }));
        var data = ml.Transforms.Conversion.MapValueToKey("Label", "Truth").Fit(rows).Transform(rows);
        var order = default(VBuffer<int>);
        data.Schema["Label"].GetKeyValues(ref order);
        using var component = ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = integers.Onnx }).Fit(data);
        var output = component.Transform(data);
        var values = default(VBuffer<ReadOnlyMemory<char>>);
        output.Schema["PredictedLabel"].GetKeyValues(ref values);
        Assert.Equal(data.Schema["Label"].Type, output.Schema["PredictedLabel"].Type);
        Assert.Equal(order.DenseValues().Select(v => v.ToString()), values.DenseValues().Select(v => v.ToString()));
        Assert.Equal(order.DenseValues().Select(v => v.ToString()), component.ClassNames);
        Assert.Equal(["30", "10", "20"], component.ClassNames);   // occurrence order, not the model's

        var truth = reversed.Select(r => IntegerLabelModel.LabelOf(r).ToString()).ToArray();
        var micro = truth.Zip(answers).Count(p => p.First == p.Second.Class) / (double)truth.Length;
        var logLoss = truth.Select((t, r) => -Math.Log(Math.Max(1e-15, answers[r].Probabilities[t]))).Average();
        var metrics = ml.MulticlassClassification.Evaluate(output);
        Assert.Equal(micro, metrics.MicroAccuracy, 12);
        Assert.Equal(logLoss, metrics.LogLoss, 4);
    }

    [Fact]
    public void ATextColumnForATokenModelIsRefusedNamingTheColumn()
    {
        var ml = new MLContext(seed: 0);
        var rows = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "ab" } });
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = integers.Onnx, InputColumnName = "Text" }).Fit(rows));
        Assert.StartsWith("MinRnn: input column 'Text' is text, but the model was not trained on text (it has no alphabet)", error.Message);
    }

    [Fact]
    public void AnEmptyTextFailsItsRow()
    {
        var ml = new MLContext(seed: 0);
        var rows = ml.Data.LoadFromEnumerable(new[] { new TextRow { Text = "ab" }, new TextRow { Text = "" } });
        using var component = ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = text.Onnx, InputColumnName = "Text" }).Fit(rows);
        var error = Record.Exception(() => component.Transform(rows).GetColumn<uint>("PredictedLabel").ToArray());
        while (error is not null and not InvalidTokenSequenceException) error = error.InnerException;
        Assert.Equal("MinRnn: empty text; every row needs at least one character", error?.Message);
    }
}
