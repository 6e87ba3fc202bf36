using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;

namespace MinRnn.Tests.Tasks;

/// <summary>Real data in the tests: the 100 UCI handwritten digits shipped in Data/digits (the first 10 images of each
/// digit, one 8-pixel image row a step; PROVENANCE.md there), read as numeric classify rows, and a GRU trained on them
/// for a few seconds recognising digits it has not seen (docs/REAL_DATA.md has the full data sets).</summary>
public sealed partial class DigitsSampleTests : IDisposable
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Data", "digits");
    private static readonly string Sample = Path.Combine(Folder, "digits-rows-100.jsonl");

    private readonly TempFolder files = new();

    public void Dispose() => files.Dispose();

    [GeneratedRegex("sha256 of this file:\\s*([0-9a-f]{64})")]
    private static partial Regex ProvenanceHash();

    [Fact]
    public void TheSampleIsTheFileItsProvenanceNamesAndTenImagesOfEachDigit()
    {
        var note = File.ReadAllText(Path.Combine(Folder, "PROVENANCE.md"));
        var hash = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(Sample)));
        Assert.Equal(ProvenanceHash().Match(note).Groups[1].Value, hash);
        var rows = File.ReadAllLines(Sample).Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(Enumerable.Range(0, 10).SelectMany(d => Enumerable.Repeat(d, 10)), rows.Select(r => r["label"]!.GetValue<int>()).Order());
        foreach (var image in rows.Select(r => r["input"]!.AsArray()))
        {
            Assert.Equal(8, image.Count);
            Assert.All(image, step => Assert.Equal(8, step!.AsArray().Count));
            Assert.All(image.SelectMany(step => step!.AsArray()), p => Assert.InRange(p!.GetValue<int>(), 0, 16));
        }
        var task = (Classify)new Classify().WithFiles(new TaskFiles(Sample));
        Assert.Equal((LabelledRows.Numeric, 8, 8, true), (task.Form, task.Features, task.SeqLen, task.IntegerLabels));
        Assert.Equal(Enumerable.Range(0, 10).Select(d => $"{d}"), task.ClassNames);
    }

    /// <summary>Held out: one image of each digit (10% of each class); chance is 0.1.</summary>
    [Fact]
    public void GruRecognisesHeldOutDigitsAfterAFewSecondsOfTraining()
    {
        var task = (Classify)new Classify().WithFiles(new TaskFiles(Sample));
        var config = new RunConfig(new ModelConfig("gru", Layers: 1, Vocab: task.Vocabulary.Size, Dim: 32, Features: task.Features), task,
            new TrainOptions(Steps: 300, Batch: 32, Lr: 1e-2, EvalEvery: 300, CheckpointEvery: 300, EvalSize: 512, Device: "cpu"));
        var summary = Trainer.Run(config, files["run"]);
        var confusion = RunFiles.ReadSummary(files["run"]).TaskMetrics!["test_confusion_matrix"];
        Assert.Equal(Enumerable.Repeat(1, 10), confusion.EnumerateArray().Select(row => row.EnumerateArray().Sum(n => n.GetInt32())));
        Assert.True(summary.TestAccuracy >= 0.7, $"test accuracy {summary.TestAccuracy} on 10 held-out digits (chance 0.1)");
    }
}
