using MinRnn.Runs;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MinRnn.Models;
using MinRnn.Tasks;
using static TorchSharp.torch;

namespace MinRnn.Training;

/// <summary>DIR/eval-{label}.json: a run's checkpoint evaluated on a task setting (e.g. another length); the task's own
/// metrics follow (e.g. char-lm's bpc, Loss in bits per character; classify's macro_f1 and confusion_matrix).</summary>
public sealed record EvalResult(string Run, JsonObject Task, int EvalSize, long Seed, double Loss, double Accuracy, double SequenceAccuracy, string Device)
{
    /// <summary>The task's own metrics, written after the others.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? TaskMetrics { get; init; }

    /// <summary>char-lm's bits per character, when the file has them.</summary>
    [JsonIgnore] public double? Bpc => RunJson.Number(TaskMetrics, RunFields.Bpc);
}

/// <summary>Evaluates a trained run on its task at other settings and writes the eval files `minrnn eval` and the
/// study's length-generalisation step share.</summary>
public static class RunEvaluation
{
    /// <summary>Length-generalisation factors the study evaluates (the training length T is the summary's accuracy).</summary>
    public static readonly int[] StudyFactors = [2, 4];

    public static string PathOf(string runDir, ISequenceTask task) => Path.Combine(runDir, RunFileNames.Eval(task.EvalLabel));

    /// <summary>Evaluates on the fixed evaluation set of (task, seed, size) and writes DIR/eval-{label}.json atomically.</summary>
    public static EvalResult Write(string runDir, SequenceModel model, ISequenceTask task, int size, long seed)
    {
        using var data = task.Sample(size, Seeds.Evaluation(seed), TaskSplit.Evaluation);
        var e = Evaluator.Evaluate(model, data, classes: task.Classes, objective: task.Objective);
        var device = model.parameters().First().device;
        var result = new EvalResult(runDir, task.Summary(), size, seed, e.Loss, e.Accuracy, e.SequenceAccuracy, device.type.ToString().ToLowerInvariant())
        {
            TaskMetrics = TaskMetricValues.Of(task.Measure(e)),
        };
        RunFiles.WriteAtomic(PathOf(runDir, task), JsonSerializer.Serialize(result, RunConfig.Json));
        return result;
    }

    /// <summary>The run at T × each factor, skipping settings whose file exists; returns how many it wrote.</summary>
    public static int LengthGeneralisation(string runDir, IEnumerable<int> factors, Device device)
    {
        var config = RunFiles.ReadConfig(runDir);
        var todo = factors.Select(f => config.Task.WithSeqLen(config.Task.SeqLen * f)).Where(t => !File.Exists(PathOf(runDir, t))).ToList();
        if (todo.Count == 0) return 0;
        using var model = Checkpoint.LoadModel(runDir, device);
        foreach (var task in todo) Write(runDir, model, task, config.Train.EvalSize, config.Train.Seed);
        return todo.Count;
    }
}
