using System.Text.Json.Nodes;
using MinRnn.Tasks;
using MinRnn.Tests.Cli;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Tests.Training;

/// <summary>A run folder written by version 1 (commit b7854cb, before the task contract; Data/run-v1/README.md)
/// read by this version: same configuration, same evaluation set, same numbers, and it can be continued.</summary>
public class RunV1Tests
{
    private static readonly string Committed = Path.Combine(AppContext.BaseDirectory, "Data", "run-v1");

    private static string CopyOfRun(TempFolder folder)
    {
        var dir = folder["run-v1"];
        foreach (var file in Directory.EnumerateFiles(Committed, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(dir, Path.GetRelativePath(Committed, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return dir;
    }

    [Fact]
    public void VersionOneRunLoadsAndEvaluatesToItsRecordedAccuracy()
    {
        var config = RunFiles.ReadConfig(Committed);
        Assert.Equal(new SelectiveCopying(SeqLen: 10, Tokens: 2, Vocab: 6), config.Task);
        var state = Checkpoint.ReadState(Committed);
        Assert.Equal(1, state.FormatVersion);
        Assert.Equal(20, state.Step);
        Assert.Equal(config, state.Config);

        var summary = JsonNode.Parse(File.ReadAllText(Path.Combine(Committed, RunFiles.Summary)))!;
        using var model = Checkpoint.LoadModel(Committed, CPU);
        // Version 1's evaluation set: SelectiveCopying.Sample(eval_size, Seeds.Evaluation(seed)), which the contract's
        // Sample reproduces (SelectiveCopyingTests.ContractBatchHoldsTheRowsOfTheVersionOneSampler).
        using var data = config.Task.Sample(config.Train.EvalSize, Seeds.Evaluation(config.Train.Seed), TaskSplit.Evaluation);
        var e = Evaluator.Evaluate(model, data);
        Assert.Equal(summary["test_accuracy"]!.GetValue<double>(), e.Accuracy, 1e-6);
        Assert.Equal(summary["final_loss"]!.GetValue<double>(), e.Loss, 1e-6);
    }

    [Fact]
    public void VersionOneRunResumes()
    {
        using var tmp = new TempFolder();
        var run = CopyOfRun(tmp);
        // The committed run is finished (step 20 of 20): ask for 24 steps in both copies of its configuration, so
        // --resume has four steps to do from the version-1 checkpoint (and evaluates every 2 steps).
        foreach (var file in new[] { Path.Combine(run, RunFiles.Config), Path.Combine(run, Checkpoint.Folder, "state.json") })
        {
            var json = JsonNode.Parse(File.ReadAllText(file))!;
            var train = (file.EndsWith("state.json") ? json["config"]! : json)["train"]!;
            Assert.Equal(20, train["steps"]!.GetValue<int>());
            train["steps"] = 24;
            train["eval_every"] = 2;
            File.WriteAllText(file, json.ToJsonString());
        }

        var (code, _, err) = MinrnnProcess.Run("train", "--resume", "--out", run, "--device", "cpu", "--quiet");
        Assert.True(code == 0, err);
        Assert.Equal(24, Checkpoint.ReadState(run).Step);
        Assert.Equal(RunConfig.FormatVersion, Checkpoint.ReadState(run).FormatVersion);
        Assert.Equal([10, 20, 22, 24], RunFiles.ReadMetrics(run).Select(m => m.Step));   // version 1's lines kept, then every 2 steps
        Assert.Equal(24, RunFiles.ReadSummary(run).Steps);
    }
}
