using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace MinRnn.ML.Tests;

/// <summary>Through ML.NET the shipped models and the transformer fixture give what ONNX Runtime gives when called directly
/// on the original file (whose outputs `minrnn export --verify` held to TorchSharp's within 1e-4 when the file was made),
/// states included: the transformer's KV cache is a variable-length column, one entry per token of the row.</summary>
public class AgreementTests
{
    public static TheoryData<string> Cells => new(Repo.Exported);

    [Theory]
    [MemberData(nameof(Cells))]
    public void MlNetEqualsOnnxRuntimeOnTheShippedModels(string cell)
    {
        var info = SequenceModelInfo.Read(Repo.Model(cell));
        var sequences = Sequences.Mixed(24, info.Vocab, seed: 7, maxLength: 2 * (info.TaskSeqLen + info.TaskTokens));
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Sequences.Rows(sequences));
        var options = new SequenceModelOptions
        {
            ModelFile = Repo.Model(cell), LogitsColumnName = "Logits", LastLogitsColumnName = "Last", FinalStateColumnPrefix = "final_",
        };
        var output = ml.Transforms.ApplySequenceModel(options).Fit(data).Transform(data);
        var predictions = output.GetColumn<long[]>("Predictions").ToArray();
        var logits = output.GetColumn<float[]>("Logits").ToArray();
        var last = output.GetColumn<float[]>("Last").ToArray();
        var states = info.States.ToDictionary(s => s.OutputName, s => output.GetColumn<float[]>("final_" + s.Name).ToArray());

        using var sessionOptions = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(Repo.Model(cell), sessionOptions);
        for (var i = 0; i < sequences.Length; i++)
        {
            var t = sequences[i].Length;
            using var tokens = OrtValue.CreateTensorValueFromMemory(sequences[i], [1, t]);
            string[] names = ["logits", "predictions", .. info.States.Select(s => s.OutputName)];
            using var results = session.Run(new RunOptions(), ["tokens"], [tokens], names);
            Assert.Equal(results[1].GetTensorDataAsSpan<long>().ToArray(), predictions[i]);
            var expected = results[0].GetTensorDataAsSpan<float>().ToArray();
            RelativeError.AssertWithin(logits[i], expected, 1e-4, $"{cell} row {i}: logits");
            RelativeError.AssertWithin(last[i], expected[^info.Vocab..], 1e-4, $"{cell} row {i}: last logits");
            for (var s = 0; s < info.States.Count; s++)
                RelativeError.AssertWithin(states[info.States[s].OutputName][i], results[2 + s].GetTensorDataAsSpan<float>().ToArray(), 1e-4, $"{cell} row {i}: {info.States[s].OutputName}");
        }
    }
}
