using System.Text.Json;
using MinRnn.Tasks;
using MinRnn.Training;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn eval: re-evaluates a run's checkpoint, also at other sequence lengths (length generalisation).</summary>
public static class EvalCommand
{
    public const string Usage = """
        minrnn eval --run DIR [--seq-len T] [--tokens K] [--eval-size N] [--seed S] [--device auto|cpu|cuda] [--threads N]
            prints the accuracy and writes DIR/eval-T<T>-K<K>.json (seed: the run's evaluation seed unless given)
        """;

    public sealed record EvalResult(string Run, TaskSummary Task, int EvalSize, long Seed, double Loss, double Accuracy, double SequenceAccuracy, string Device);

    public static int Run(string[] argv)
    {
        var args = new Args(argv, ["--run", "--seq-len", "--tokens", "--eval-size", "--seed", "--device", "--threads"], []);
        var runDir = args.Required("--run");
        Common.ApplyThreads(args);
        var config = Common.ReadRun(runDir);
        var task = config.Task with { SeqLen = args.Int("--seq-len", config.Task.SeqLen, 1), Tokens = args.Int("--tokens", config.Task.Tokens, 1) };
        if (task.SeqLen < task.Tokens) throw new UsageException($"--seq-len: {task.SeqLen} must be ≥ --tokens ({task.Tokens})");
        var size = args.Int("--eval-size", config.Train.EvalSize, 1);
        var seed = args.Long("--seed", config.Train.Seed, 0);
        var device = Devices.Resolve(args.Choice("--device", "auto", ["auto", "cpu", "cuda"]));

        using var model = Checkpoint.LoadModel(runDir, device);
        using var data = task.Sample(size, Seeds.Evaluation(seed));
        var e = Evaluator.Evaluate(model, data);
        var result = new EvalResult(runDir, new TaskSummary(SelectiveCopying.Name, task.SeqLen, task.Tokens, task.Vocab), size, seed,
            e.Loss, e.Accuracy, e.SequenceAccuracy, device.type.ToString().ToLowerInvariant());
        var path = Path.Combine(runDir, $"eval-T{task.SeqLen}-K{task.Tokens}.json");
        RunFiles.WriteAtomic(path, JsonSerializer.Serialize(result, RunConfig.Json));
        Console.WriteLine($"{config.Model.Cell} × {config.Model.Layers}  T = {task.SeqLen}  K = {task.Tokens}  n = {size}  " +
                          $"accuracy {e.Accuracy:F4}  sequence_accuracy {e.SequenceAccuracy:F4}  loss {e.Loss:F4}  → {path}");
        return 0;
    }
}
