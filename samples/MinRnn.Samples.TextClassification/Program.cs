// Text classification with a MinRnn model as one step of an ML.NET pipeline: phrases from a CSV go through ML.NET's own
// text normalization (lower case, no punctuation: the training rows' alphabet) into a classify model trained and
// exported by `minrnn` (data/README.md says how), which writes ML.NET's multiclass columns, PredictedLabel and Score, so
// MulticlassClassification.Evaluate scores them unchanged. The label key is built in the order the labels occur, not in
// the model's class order: the component reads that key and writes Score in its order. Then the pipeline is saved,
// loaded in a fresh MLContext (same predictions checked) and serves one phrase through a PredictionEngine.
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Text;
using MinRnn.ML;

var options = SampleArgs.Parse(args);
var ml = new MLContext(seed: 0);
var data = ml.Data.LoadFromTextFile<CsvRow>(options.Data, separatorChar: ',', hasHeader: true, allowQuoting: true);

var pipeline = ml.Transforms.Text.NormalizeText("Normalized", nameof(CsvRow.Text), TextNormalizingEstimator.CaseMode.Lower,
        keepDiacritics: false, keepPunctuations: false, keepNumbers: true)
    .Append(ml.Transforms.Conversion.MapValueToKey("Label", nameof(CsvRow.Language)))        // keys in order of occurrence
    .Append(ml.Transforms.ApplySequenceModel(new SequenceModelOptions
    {
        ModelFile = options.Model,
        InputColumnName = "Normalized",     // text: the model's alphabet maps characters to its tokens
        PredictionsColumnName = null,       // only the classify outputs: PredictedLabel, Score
    }))
    .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLanguage", "PredictedLabel"));
using var model = pipeline.Fit(data);

var component = model.Cast<ITransformer>().OfType<SequenceModelTransformer>().Single();
var info = component.Info;
Console.WriteLine($"model: {Path.GetFileName(options.Model)}, {info.Cell} × {info.Layers}, vocabulary {info.Vocab}, task {info.Task}, " +
                  $"classes {info.TaskOptions["class_names"]}");
var scored = model.Transform(data);
Console.WriteLine($"label key (order of occurrence): [{string.Join(", ", KeyValues(scored.Schema["Label"]))}]; " +
                  $"Score slots: [{string.Join(", ", SlotNames(scored.Schema["Score"]))}]");

var metrics = ml.MulticlassClassification.Evaluate(scored);
Console.WriteLine($"evaluation: {scored.GetColumn<string>("Language").Count()} rows, micro accuracy {metrics.MicroAccuracy:F4}, " +
                  $"macro accuracy {metrics.MacroAccuracy:F4}, log-loss {metrics.LogLoss:F4}");
Console.Write(metrics.ConfusionMatrix.GetFormattedConfusionTable());

foreach (var row in ml.Data.CreateEnumerable<Scored>(scored, reuseRowObject: false).Take(3))
    Console.WriteLine($"  \"{row.Text}\" → \"{row.Normalized}\" → {row.PredictedLanguage} ({row.Score.Max():F3}), truth {row.Language}");

// Save the whole pipeline (normalizer, label key, MinRnn component with the model inside), load it in a fresh context.
var path = options.Save ?? Path.Combine(Path.GetTempPath(), $"minrnn-text-classification-{Environment.ProcessId}.zip");
ml.Model.Save(model, data.Schema, path);
Console.WriteLine($"saved pipeline: {path} ({new FileInfo(path).Length:N0} bytes)");
var fresh = new MLContext();
var reloaded = fresh.Model.Load(path, out _);
try
{
    var again = reloaded.Transform(fresh.Data.LoadFromTextFile<CsvRow>(options.Data, separatorChar: ',', hasHeader: true, allowQuoting: true));
    var same = Answers(ml, scored).SequenceEqual(Answers(fresh, again));
    Console.WriteLine($"reloaded pipeline gives identical predictions and scores: {(same ? "yes" : "NO")}; " +
                      $"micro accuracy {fresh.MulticlassClassification.Evaluate(again).MicroAccuracy:F4}");

    using var engine = fresh.Model.CreatePredictionEngine<CsvRow, Scored>(reloaded);
    var answer = engine.Predict(new CsvRow { Text = options.Phrase });
    Console.WriteLine($"PredictionEngine: \"{options.Phrase}\" → {answer.PredictedLanguage} " +
                      $"({string.Join(", ", SlotNames(engine.OutputSchema["Score"]).Zip(answer.Score, (c, p) => $"{c} {p:F3}"))})");
    if (!same) return 1;
}
finally
{
    (reloaded as IDisposable)?.Dispose();
    if (options.Save is null) File.Delete(path);
}
return 0;

static string[] KeyValues(DataViewSchema.Column column)
{
    var values = default(VBuffer<ReadOnlyMemory<char>>);
    column.GetKeyValues(ref values);
    return [.. values.DenseValues().Select(v => v.ToString())];
}

static string[] SlotNames(DataViewSchema.Column column)
{
    var values = default(VBuffer<ReadOnlyMemory<char>>);
    column.GetSlotNames(ref values);
    return [.. values.DenseValues().Select(v => v.ToString())];
}

/// <summary>Each row's predicted language and scores, as text (exact float values), to compare two runs.</summary>
static IEnumerable<string> Answers(MLContext ml, IDataView scored) =>
    ml.Data.CreateEnumerable<Scored>(scored, reuseRowObject: false).Select(r => $"{r.PredictedLanguage} {string.Join(' ', r.Score.Select(x => x.ToString("R")))}");

/// <summary>One line of the CSV: `Text,Label` (the phrase, quoted; its language).</summary>
public sealed class CsvRow
{
    [LoadColumn(0)] public string Text { get; set; } = "";
    [LoadColumn(1)] public string Language { get; set; } = "";
}

public sealed class Scored
{
    public string Text { get; set; } = "";
    public string Language { get; set; } = "";
    public string Normalized { get; set; } = "";
    public string PredictedLanguage { get; set; } = "";
    public float[] Score { get; set; } = [];
}

/// <summary>Command line: the shipped model and the shipped CSV by default.</summary>
internal sealed record SampleArgs(string Model, string Data, string? Save, string Phrase)
{
    public static SampleArgs Parse(string[] args)
    {
        var here = AppContext.BaseDirectory;
        var parsed = new SampleArgs(Path.Combine(here, "models", "mingru-languages.onnx"), Path.Combine(here, "data", "test.csv"), null,
            "The little dog and the cat are in the garden.");
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            parsed = args[i] switch
            {
                "--model" => parsed with { Model = Value() },
                "--data" => parsed with { Data = Value() },
                "--save" => parsed with { Save = Value() },
                "--phrase" => parsed with { Phrase = Value() },
                _ => throw new ArgumentException($"unknown option {args[i]}; options: --model FILE --data FILE --save FILE --phrase TEXT"),
            };
        }
        return parsed;
    }
}
