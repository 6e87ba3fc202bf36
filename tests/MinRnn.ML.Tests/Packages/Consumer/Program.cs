// The program PackageConsumerTests builds in a fresh console project that references the MinRnn.ML package (not this
// repository's projects): an ML.NET pipeline applies each model to the rows of a JSON file ([[token, …], …], the
// input of `minrnn predict`) and prints one JSON line per model, {"model": FILE, "predictions": [[…], …]}.
// A model the component rejects is one line on stderr and exit code 2.
// Usage: Consumer ROWS.json MODEL.onnx [MODEL.onnx …]
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML;

var rows = JsonSerializer.Deserialize<long[][]>(File.ReadAllText(args[0]))!;
var ml = new MLContext(seed: 0);
var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Tokens = r }));
foreach (var model in args[1..])
{
    SequenceModelTransformer fitted;
    try { fitted = ml.Transforms.ApplySequenceModel(model, "Tokens", "Predictions").Fit(data); }
    catch (InvalidDataException e)
    {
        Console.Error.WriteLine(e.Message);
        return 2;
    }
    using (fitted)
    {
        var predictions = fitted.Transform(data).GetColumn<long[]>("Predictions").ToArray();
        Console.WriteLine(JsonSerializer.Serialize(new { model = Path.GetFileName(model), predictions }));
    }
}
return 0;

sealed class Row
{
    [VectorType] public long[] Tokens { get; set; } = [];
}
