using System.Text.Json.Nodes;
using MinRnn.Tasks;
using MinRnn.Tests.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Tests.Cli;

/// <summary>`train` then `predict --run` on numeric rows of mixed lengths, as a user runs them: every row's class and
/// class probabilities equal the trained model run on that row alone (softmax over the class tokens' logits at its last
/// step, computed here in float64).</summary>
public class NumericPredictCliTests
{
    [Fact]
    public void PredictRunWritesEachRowsAnswerAsTheModelGivesItAlone()
    {
        using var tmp = new TempFolder();
        var data = NumericRows.Write(tmp, Classify.TaskName, 60, file: "train.jsonl");
        var rowsPath = NumericRows.Write(tmp, Classify.TaskName, 13, seed: 5, file: "new.jsonl");
        var (code, _, err) = MinrnnProcess.Run("train", "--model", "minlstm", "--layers", "2", "--dim", "8", "--task", "classify", "--data", data,
            "--steps", "20", "--device", "cpu", "--out", tmp["run"]);
        Assert.True(code == 0, err);
        (code, _, err) = MinrnnProcess.Run("predict", "--run", tmp["run"], "--data", rowsPath, "--out", tmp["preds.jsonl"], "--batch-size", "4", "--device", "cpu");
        Assert.True(code == 0, err);

        var config = RunFiles.ReadConfig(tmp["run"]);
        Assert.Equal(NumericRows.Features, config.Model.Features);
        var task = (Classify)config.Task;
        using var model = Checkpoint.LoadModel(tmp["run"], CPU);
        var rows = NumericRows.Read(rowsPath);
        var lines = File.ReadAllLines(tmp["preds.jsonl"]);
        Assert.Equal(rows.Length, lines.Length);
        Assert.True(rows.Select(r => r.Length).Distinct().Count() > 2, "rows of mixed lengths");
        using var noGrad = no_grad();
        for (var r = 0; r < rows.Length; r++)
        {
            var steps = rows[r].Length;
            using var logits = model.Logits(tensor(rows[r].SelectMany(s => s).ToArray(), [1, steps, NumericRows.Features]));
            var scores = logits[0, steps - 1].narrow(0, 1, task.ClassNames.Length).to_type(float64).data<double>().ToArray();
            var exp = scores.Select(x => Math.Exp(x - scores.Max())).ToArray();
            var line = JsonNode.Parse(lines[r])!;
            Assert.Equal(r + 1, line["line"]!.GetValue<int>());
            Assert.Equal(task.ClassNames[Array.IndexOf(scores, scores.Max())], line["prediction"]!.GetValue<string>());
            for (var c = 0; c < task.ClassNames.Length; c++)
                Assert.Equal(exp[c] / exp.Sum(), line["probabilities"]![task.ClassNames[c]]!.GetValue<double>(), 1e-6);
        }
    }
}
