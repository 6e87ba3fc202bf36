using System.Text.Json;
using MinRnn.Training;

namespace MinRnn.Tests.Cli;

/// <summary>The `minrnn` executable as a user runs it: exit codes, one-line errors, files left alone.</summary>
public class CliTests
{
    private static (int Code, string Out, string Err) Minrnn(params string[] args) => MinrnnProcess.Run(args);

    private static readonly string[] TinyTrain =
        ["--model", "minlstm", "--layers", "1", "--seq-len", "10", "--tokens", "2", "--vocab", "6", "--dim", "8",
         "--steps", "6", "--batch", "8", "--eval-every", "3", "--eval-size", "16", "--device", "cpu"];

    [Theory]
    [InlineData("--model rwkv", "--model: 'rwkv' is not one of {kinds}")]
    [InlineData("--model mingru --state-size 8", "state_size: applies to {state_size} only, not mingru")]
    [InlineData("--model gru --heads 2", "heads: applies to {heads} only, not gru")]
    [InlineData("--model transformer --heads 3", "heads: must divide the inner width 64")]
    [InlineData("--model mamba --state-size 0", "--state-size: 0 is out of range")]
    [InlineData("--model gru --layers 0", "--layers: 0 is out of range")]
    [InlineData("--model gru --lr abc", "--lr: 'abc' is not a number")]
    [InlineData("--model gru --seq-len 3 --tokens 4", "--seq-len: must be ≥ tokens (4), got 3")]
    [InlineData("--model gru --preset huge", "--preset: 'huge' is not one of quick|paper")]
    [InlineData("--model gru --device tpu", "--device: 'tpu' is not one of auto|cpu|cuda")]
    [InlineData("--model gru --bogus 1", "unknown option '--bogus'")]
    [InlineData("--layers 2", "--model: required")]
    public void BadTrainOptionsGiveOneLineAndExitTwo(string argv, string message)
    {
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var (code, _, err) = Minrnn(["train", .. argv.Split(' '), "--out", Path.Combine(dir, "run")]);
        Assert.Equal(2, code);
        Assert.Contains(CellCases.WithKinds(message), err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(dir, "run")));
    }

    [Fact]
    public void TrainEvalAndRefusalToOverwrite()
    {
        using var tmp = new TempFolder();
        var run = tmp["run"];
        var (code, stdout, err) = Minrnn(["train", .. TinyTrain, "--out", run]);
        Assert.True(code == 0, err);
        Assert.Contains("test_accuracy", stdout);
        var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json"))).RootElement;
        foreach (var field in new[] { "model", "layers", "seed", "task", "steps", "parameters", "final_loss", "test_accuracy", "train_seconds", "device", "minrnn_version" })
            Assert.True(summary.TryGetProperty(field, out _), field);
        Assert.Equal(10, summary.GetProperty("task").GetProperty("seq_len").GetInt32());
        var metricsLine = JsonDocument.Parse(File.ReadLines(Path.Combine(run, "metrics.jsonl")).First()).RootElement;
        foreach (var field in new[] { "step", "loss", "accuracy", "elapsed_s" })
            Assert.True(metricsLine.TryGetProperty(field, out _), field);

        var before = File.ReadAllText(Path.Combine(run, "summary.json"));
        (code, _, err) = Minrnn(["train", .. TinyTrain, "--out", run]);
        Assert.Equal(2, code);
        Assert.Contains("already holds a run", err);
        Assert.Equal(before, File.ReadAllText(Path.Combine(run, "summary.json")));

        (code, stdout, err) = Minrnn("eval", "--run", run, "--seq-len", "20", "--device", "cpu");
        Assert.True(code == 0, err);
        var eval = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "eval-T20-K2.json"))).RootElement;
        Assert.InRange(eval.GetProperty("accuracy").GetDouble(), 0, 1);

        (code, _, err) = Minrnn(["train", .. TinyTrain, "--out", run, "--force"]);
        Assert.True(code == 0, err);
    }

    [Fact]
    public void CorruptCheckpointIsAOneLineError()
    {
        using var tmp = new TempFolder();
        var run = tmp["run"];
        Assert.Equal(0, Minrnn(["train", .. TinyTrain, "--out", run]).Code);
        File.WriteAllBytes(Path.Combine(run, Checkpoint.Folder, "model.bin"), [1, 2, 3]);
        var (code, _, err) = Minrnn("eval", "--run", run);
        Assert.Equal(2, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Contains("checkpoint", err);
        Assert.DoesNotContain("   at ", err);

        (code, _, err) = Minrnn("eval", "--run", Path.Combine(run, "missing"));
        Assert.Equal(2, code);
        Assert.Contains("does not exist", err);
    }

    [Fact]
    public void DataFilesMatchTheTrainingGenerator()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var jsonl = Path.Combine(dir, "d.jsonl");
        var csv = Path.Combine(dir, "d.csv");
        Assert.Equal(0, Minrnn("data", "selective-copy", "--count", "5", "--seq-len", "12", "--tokens", "3", "--seed", "4", "--batch", "3", "--out", jsonl).Code);
        Assert.Equal(0, Minrnn("data", "selective-copy", "--count", "5", "--seq-len", "12", "--tokens", "3", "--seed", "4", "--batch", "3", "--out", csv).Code);
        var rows = File.ReadAllLines(jsonl);
        Assert.Equal(5, rows.Length);

        using var second = new MinRnn.Tasks.SelectiveCopying(12, 3, 16).Sample(3, MinRnn.Tasks.Seeds.TrainBatch(4, 2));
        var row3 = JsonDocument.Parse(rows[3]).RootElement;   // first row of the step-2 batch
        Assert.Equal(second.Inputs[0].data<long>().ToArray(), row3.GetProperty("input").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(second.Targets[0].data<long>().ToArray(), row3.GetProperty("target").EnumerateArray().Select(e => e.GetInt64()));

        var csvRows = File.ReadAllLines(csv);
        Assert.Equal("input,target,positions", csvRows[0]);
        Assert.Equal(string.Join(' ', second.Inputs[0].data<long>().ToArray()), csvRows[4].Split(',')[0]);

        var (code, _, err) = Minrnn("data", "selective-copy", "--count", "5", "--out", csv);
        Assert.Equal(2, code);
        Assert.Contains("exists", err);
        Assert.Equal(2, Minrnn("data", "selective-copy", "--count", "5", "--out", Path.Combine(dir, "d.txt")).Code);
        Assert.Equal(2, Minrnn("data", "copy", "--count", "5", "--out", jsonl).Code);
    }
}
