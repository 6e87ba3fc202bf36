using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;

namespace MinRnn.ML.Tests;

/// <summary>Through ML.NET the shipped models, the transformer fixture and a Mamba model in both forms give what ONNX
/// Runtime gives when called directly on the original file (whose outputs `minrnn export --verify` held to TorchSharp's
/// within 1e-4 when the file was made; MinRnn.Onnx.Tests does so for Mamba), states included: the transformer's KV cache
/// is a variable-length column, one entry per token of the row.</summary>
[Collection(MambaFiles.Collection)]
public class AgreementTests(MambaFiles mamba)
{
    public static TheoryData<string> Cells => new(Repo.Exported);

    [Theory]
    [MemberData(nameof(Cells))]
    public void MlNetEqualsOnnxRuntimeOnTheShippedModels(string cell) => AssertAgrees(Repo.Model(cell), cell);

    /// <summary>Mamba's states are (batch, E, N) and (batch, 3, E): the component reads their shapes from the file.</summary>
    [Theory]
    [InlineData("scan")]
    [InlineData("chunked")]
    public void MlNetEqualsOnnxRuntimeOnAMambaModel(string form) => AssertAgrees(mamba.Model(form), "mamba " + form);

    private static void AssertAgrees(string file, string name)
    {
        var info = SequenceModelInfo.Read(file);
        var sequences = Sequences.Mixed(24, info.Vocab, seed: 7, maxLength: 2 * (info.TaskSeqLen + info.TaskTokens));
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Sequences.Rows(sequences));
        var options = new SequenceModelOptions
        {
            ModelFile = file, LogitsColumnName = "Logits", LastLogitsColumnName = "Last", FinalStateColumnPrefix = "final_",
        };
        var output = ml.Transforms.ApplySequenceModel(options).Fit(data).Transform(data);
        var predictions = output.GetColumn<long[]>("Predictions").ToArray();
        var logits = output.GetColumn<float[]>("Logits").ToArray();
        var last = output.GetColumn<float[]>("Last").ToArray();
        var states = info.States.ToDictionary(s => s.OutputName, s => output.GetColumn<float[]>("final_" + s.Name).ToArray());

        using var sessionOptions = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(file, sessionOptions);
        for (var i = 0; i < sequences.Length; i++)
        {
            var t = sequences[i].Length;
            using var tokens = OrtValue.CreateTensorValueFromMemory(sequences[i], [1, t]);
            string[] names = ["logits", "predictions", .. info.States.Select(s => s.OutputName)];
            using var results = session.Run(new RunOptions(), ["tokens"], [tokens], names);
            Assert.Equal(results[1].GetTensorDataAsSpan<long>().ToArray(), predictions[i]);
            var expected = results[0].GetTensorDataAsSpan<float>().ToArray();
            RelativeError.AssertWithin(logits[i], expected, 1e-4, $"{name} row {i}: logits");
            RelativeError.AssertWithin(last[i], expected[^info.Vocab..], 1e-4, $"{name} row {i}: last logits");
            for (var s = 0; s < info.States.Count; s++)
                RelativeError.AssertWithin(states[info.States[s].OutputName][i], results[2 + s].GetTensorDataAsSpan<float>().ToArray(), 1e-4, $"{name} row {i}: {info.States[s].OutputName}");
        }
    }
}

/// <summary>A tiny Mamba (two layers, N = 4, block conv 2) trained and exported in both forms by the `minrnn` command,
/// once for the test classes of its collection: MinRnn.ML has no TorchSharp, and no Mamba model ships.</summary>
public sealed class MambaFiles : IDisposable
{
    public const string Collection = "mamba files";

    private readonly TempFolder folder = new();

    public MambaFiles()
    {
        var run = folder["run"];
        Check(SampleTests.Minrnn("train", "--model", "mamba", "--layers", "2", "--seq-len", "10", "--tokens", "2", "--vocab", "6",
            "--dim", "8", "--state-size", "4", "--conv", "2", "--steps", "2", "--batch", "8", "--eval-every", "2", "--eval-size", "8",
            "--device", "cpu", "--quiet", "--out", run));
        foreach (var form in new[] { "scan", "chunked" })
            Check(SampleTests.Minrnn("export", "--run", run, "--out", Model(form), "--form", form, "--chunk", "8"));
    }

    public string Model(string form) => folder[$"mamba-{form}.onnx"];

    private static void Check((int ExitCode, string Output) result)
    {
        if (result.ExitCode != 0) throw new InvalidOperationException(result.Output);
    }

    public void Dispose() => folder.Dispose();
}

[CollectionDefinition(MambaFiles.Collection)]
public sealed class MambaFilesCollection : ICollectionFixture<MambaFiles>;
