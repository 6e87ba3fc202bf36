// A MinRnn model as one step of an ML.NET pipeline: read examples of the model's task from a CSV (made by
// `minrnn data TASK`, e.g. the shipped selective-copy.csv; every task's answers are its last steps), tokenize, apply the model, score the answers, save the whole pipeline, load it back in a
// fresh MLContext and serve one example with a PredictionEngine.
using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML;

var options = SampleArgs.Parse(args);
var ml = new MLContext(seed: 0);
var data = ml.Data.LoadFromTextFile<CsvRow>(options.Data, separatorChar: ',', hasHeader: true);

ITransformer model;
if (options.Load is { } load)
{
    // A fresh process: the pipeline file alone (model bytes included) restores the component.
    // A loaded pipeline runs where the MLContext says; ask for CUDA only where it can run.
    if (options.GpuDeviceId is { } id)
    {
        var why = CudaAvailability.WhyUnavailable(id);
        if (why is null) ml.GpuDeviceId = id;
        Console.WriteLine(why is null ? $"provider: Cuda (device {id})" : $"provider: Cpu (CUDA is not available: {why})");
    }
    model = ml.Model.Load(load, out _);
    Console.WriteLine($"loaded pipeline {load}");
}
else
{
    var sequenceOptions = new SequenceModelOptions
    {
        ModelFile = options.Model,
        InputColumnName = "Tokens",
        PredictionsColumnName = "Predictions",
        LastLogitsColumnName = "LastLogits",
        GpuDeviceId = options.GpuDeviceId,
        FallbackToCpu = true,
    };
    var pipeline = ml.Transforms.Text.TokenizeIntoWords("Words", nameof(CsvRow.Input), separators: [' '])
        .Append(ml.Transforms.Conversion.ConvertType("Tokens", "Words", DataKind.Int64))
        .Append(ml.Transforms.ApplySequenceModel(sequenceOptions));
    var fitted = pipeline.Fit(data);
    var component = fitted.LastTransformer;
    var info = component.Info;
    Console.WriteLine($"model: {Path.GetFileName(options.Model)}, {info.Cell} × {info.Layers}, vocabulary {info.Vocab}, " +
                      $"task {info.Task} ({string.Join(", ", info.TaskOptions.Select(o => $"{o.Key} = {o.Value}"))})");
    Console.WriteLine($"provider: {component.Provider}" + (component.ProviderNote is { } note ? $" (CUDA is not available: {note})" : ""));
    model = fitted;
}

var scored = Score(ml, model.Transform(data), "accuracy");

if (options.Load is null)
{
    // Save the whole pipeline (tokenizer, conversion, MinRnn component with the model inside), load it in a fresh context.
    var path = options.Save ?? Path.Combine(Path.GetTempPath(), $"minrnn-pipeline-{Environment.ProcessId}.zip");
    ml.Model.Save(model, data.Schema, path);
    Console.WriteLine($"saved pipeline: {path} ({new FileInfo(path).Length:N0} bytes)");
    var fresh = new MLContext();
    var reloaded = fresh.Model.Load(path, out _);
    var again = Score(fresh, reloaded.Transform(fresh.Data.LoadFromTextFile<CsvRow>(options.Data, separatorChar: ',', hasHeader: true)), "reloaded accuracy");
    Console.WriteLine($"reloaded pipeline gives identical outputs: {(again == scored ? "yes" : "NO")}");

    using var engine = fresh.Model.CreatePredictionEngine<CsvRow, Prediction>(reloaded);
    var example = fresh.Data.CreateEnumerable<CsvRow>(data, reuseRowObject: false).First();
    var answer = engine.Predict(example);
    var k = example.Target.Split(' ').Length;
    Console.WriteLine($"PredictionEngine, one example: target {example.Target}, predicted {string.Join(' ', answer.Predictions[^k..])}, " +
                      $"last-step logits argmax {Array.IndexOf(answer.LastLogits, answer.LastLogits.Max())}");
    (reloaded as IDisposable)?.Dispose();
    if (options.Save is null) File.Delete(path);
    if (again != scored) return 1;
}
// ML.NET's OnnxTransformer keeps each model in a temporary file until it is disposed.
(model as IDisposable)?.Dispose();
return 0;

/// <summary>Token and sequence accuracy of the last K predictions against the targets, and a digest of every output.</summary>
static string Score(MLContext ml, IDataView scored, string label)
{
    var (tokens, correct, sequences, rows) = (0, 0, 0, 0);
    using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    foreach (var row in ml.Data.CreateEnumerable<Scored>(scored, reuseRowObject: false))
    {
        var target = row.Target.Split(' ').Select(long.Parse).ToArray();
        var answer = row.Predictions[^target.Length..];
        var right = target.Zip(answer).Count(p => p.First == p.Second);
        (tokens, correct, sequences, rows) = (tokens + target.Length, correct + right, sequences + (right == target.Length ? 1 : 0), rows + 1);
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.Predictions.AsSpan()));
        sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.LastLogits.AsSpan()));
    }
    var digest = Convert.ToHexString(sha.GetHashAndReset())[..16];
    Console.WriteLine($"{label}: {rows} rows, token accuracy {(double)correct / tokens:F4}, sequence accuracy {(double)sequences / rows:F4}, outputs sha256 {digest}");
    return digest;
}

/// <summary>One line of the CSV: `input,target,positions`, each a space-separated list of token ids.</summary>
public sealed class CsvRow
{
    [LoadColumn(0)] public string Input { get; set; } = "";
    [LoadColumn(1)] public string Target { get; set; } = "";
}

public sealed class Scored
{
    public string Target { get; set; } = "";
    public long[] Predictions { get; set; } = [];
    public float[] LastLogits { get; set; } = [];
}

public sealed class Prediction
{
    public long[] Predictions { get; set; } = [];
    public float[] LastLogits { get; set; } = [];
}

/// <summary>Command line: the shipped minGRU and the shipped CSV by default.</summary>
internal sealed record SampleArgs(string Model, string Data, int? GpuDeviceId, string? Save, string? Load)
{
    public static SampleArgs Parse(string[] args)
    {
        var here = AppContext.BaseDirectory;
        var parsed = new SampleArgs(Path.Combine(here, "models", "mingru.onnx"), Path.Combine(here, "data", "selective-copy.csv"), null, null, null);
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            parsed = args[i] switch
            {
                "--model" => parsed with { Model = Value() },
                "--data" => parsed with { Data = Value() },
                "--save" => parsed with { Save = Value() },
                "--load" => parsed with { Load = Value() },
                "--gpu" => parsed with { GpuDeviceId = i + 1 < args.Length && int.TryParse(args[i + 1], out var id) ? int.Parse(args[++i]) : 0 },
                _ => throw new ArgumentException($"unknown option {args[i]}; options: --model FILE --data FILE --gpu [ID] --save FILE --load FILE"),
            };
        }
        return parsed;
    }
}
