using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MinRnn.ML.Tests;

/// <summary>A pipeline saved by an earlier version keeps loading. `Data/pipeline-v1.zip` was written by the pipeline
/// sample (`--save`) with the first format of the component (contracts `MinRnn.*.v1`); `pipeline-v1.expected.json` holds
/// what it computed then for the first rows of the sample's CSV. Renaming a contract or a custom-mapping row class breaks
/// this test: add a new contract instead and keep the old one.</summary>
public class SavedFormatTests
{
    private static readonly string Zip = Path.Combine(Repo.Root, "tests", "MinRnn.ML.Tests", "Data", "pipeline-v1.zip");
    private static readonly string Expected = Path.ChangeExtension(Zip, ".expected.json");
    private static readonly string Csv = Path.Combine(Repo.Root, "samples", "MinRnn.Samples.Pipeline", "data", "selective-copy.csv");

    public sealed class CsvRow
    {
        [LoadColumn(0)] public string Input { get; set; } = "";
        [LoadColumn(1)] public string Target { get; set; } = "";
    }

    public sealed class Output
    {
        public long[] Predictions { get; set; } = [];
        public float[] LastLogits { get; set; } = [];
    }

    public sealed record Fixture(long[][] Predictions, float[][] LastLogits);

    private static Output[] Load(int rows)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(Zip, out var schema);
        using var dispose = (IDisposable)model;
        Assert.Equal(["Input", "Target"], schema.Select(c => c.Name));
        var data = ml.Data.TakeRows(ml.Data.LoadFromTextFile<CsvRow>(Csv, separatorChar: ',', hasHeader: true), rows);
        return ml.Data.CreateEnumerable<Output>(model.Transform(data), reuseRowObject: false).ToArray();
    }

    [Fact]
    public void VersionOnePipelineLoadsAndComputesWhatItDidWhenSaved()
    {
        if (Environment.GetEnvironmentVariable("MINRNN_ML_WRITE_FIXTURE") == "1")
        {
            var made = Load(16);
            File.WriteAllText(Expected, JsonSerializer.Serialize(new Fixture(made.Select(o => o.Predictions).ToArray(), made.Select(o => o.LastLogits).ToArray())));
        }
        var expected = JsonSerializer.Deserialize<Fixture>(File.ReadAllText(Expected))!;
        var outputs = Load(expected.Predictions.Length);
        Assert.Equal(expected.Predictions, outputs.Select(o => o.Predictions));
        for (var i = 0; i < outputs.Length; i++) RelativeError.AssertWithin(outputs[i].LastLogits, expected.LastLogits[i], 1e-4, $"row {i}");
    }

    // ---- classify: Data/classify-v1.zip, saved by the text classification sample (--save) with the first format of the
    // classify columns (contracts MinRnn.CodePointsFromText.v1, MinRnn.ClassSlot.v1, ML.NET's value mapping to the key)
    // (its embedded ONNX model's task_options later had the training file's path cut to its name, as export now writes it)

    private static readonly string ClassifyZip = Path.Combine(Repo.Root, "tests", "MinRnn.ML.Tests", "Data", "classify-v1.zip");
    private static readonly string ClassifyCsv = Path.Combine(Repo.Root, "samples", "MinRnn.Samples.TextClassification", "data", "test.csv");

    public sealed class PhraseRow
    {
        [LoadColumn(0)] public string Text { get; set; } = "";
        [LoadColumn(1)] public string Language { get; set; } = "";
    }

    public sealed class Classified
    {
        public string PredictedLanguage { get; set; } = "";
        public float[] Score { get; set; } = [];
    }

    public sealed record ClassifyFixture(string[] SlotNames, string[] Predicted, float[][] Scores);

    private static ClassifyFixture LoadClassify(int rows)
    {
        var ml = new MLContext();
        var model = ml.Model.Load(ClassifyZip, out _);
        using var dispose = (IDisposable)model;
        var data = ml.Data.TakeRows(ml.Data.LoadFromTextFile<PhraseRow>(ClassifyCsv, separatorChar: ',', hasHeader: true, allowQuoting: true), rows);
        var output = model.Transform(data);
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        output.Schema["Score"].GetSlotNames(ref names);
        var keys = default(VBuffer<ReadOnlyMemory<char>>);
        output.Schema["PredictedLabel"].GetKeyValues(ref keys);
        Assert.Equal(names.DenseValues().Select(n => n.ToString()), keys.DenseValues().Select(n => n.ToString()));
        var rowsOut = ml.Data.CreateEnumerable<Classified>(output, reuseRowObject: false).ToArray();
        return new([.. names.DenseValues().Select(n => n.ToString())], [.. rowsOut.Select(r => r.PredictedLanguage)], [.. rowsOut.Select(r => r.Score)]);
    }

    [Fact]
    public void ClassifyVersionOnePipelineLoadsAndComputesWhatItDidWhenSaved()
    {
        var expectedPath = Path.ChangeExtension(ClassifyZip, ".expected.json");
        if (Environment.GetEnvironmentVariable("MINRNN_ML_WRITE_FIXTURE") == "1")
            File.WriteAllText(expectedPath, JsonSerializer.Serialize(LoadClassify(16)));
        var expected = JsonSerializer.Deserialize<ClassifyFixture>(File.ReadAllText(expectedPath))!;
        var loaded = LoadClassify(expected.Predicted.Length);
        Assert.Equal(["german", "english", "french", "spanish"], loaded.SlotNames);   // the sample's label key order
        Assert.Equal(expected.SlotNames, loaded.SlotNames);
        Assert.Equal(expected.Predicted, loaded.Predicted);
        for (var i = 0; i < loaded.Scores.Length; i++) RelativeError.AssertWithin(loaded.Scores[i], expected.Scores[i], 1e-4, $"row {i}");
    }
}
