using MinRnn.Runs;
using MinRnn.Tasks;
using MinRnn.Training;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn eval: re-evaluates a run's checkpoint, also at other sequence lengths (length generalisation).</summary>
public static class EvalCommand
{
    public const string Usage = """
        minrnn eval --run DIR [--seq-len T] [--tokens K] [--task-opt KEY=VALUE]… [--eval-size N] [--seed S]
                    [--device auto|cpu|cuda] [--threads N]
            prints the accuracy and writes DIR/eval-T<T>.json (selective copying: DIR/eval-T<T>-K<K>.json);
            --seq-len evaluates at another length (every task here can change it); seed: the run's evaluation seed unless given
        minrnn eval --run DIR --data FILE [--seq-len T] [--eval-size N]    (char-lm)
            bits per character on any UTF-8 text (characters outside the run's vocabulary count as unknown), in
            windows of T characters over all of FILE; writes DIR/eval-T<T>-<file name>.json
        """;

    public static readonly OptionSet Options = new(["--run", "--seq-len", "--tokens", "--eval-size", "--seed", "--device", "--threads", "--data"], [], [TaskArgs.TaskOpt]);

    public static int Run(string[] argv)
    {
        var args = new Args(argv, Options);
        var runDir = args.Required("--run");
        Common.ApplyThreads(args);
        var config = Common.ReadRun(runDir);
        var task = TaskArgs.Apply(args, config.Task);
        if (args.String("--data") is { } data)
            task = TaskArgs.EvalData(task, data);
        TaskArgs.CheckData(task);
        if (task.Vocabulary.Size != config.Model.Vocab)
            throw new UsageException($"--task-opt: the options change the vocabulary ({task.Vocabulary.Size} tokens) from the model's {config.Model.Vocab}");
        if (task.InputFeatures != config.Model.Features)
            throw new UsageException($"--task-opt: the options change the features a step ({task.InputFeatures}) from the model's {config.Model.Features}");
        var size = args.Int("--eval-size", config.Train.EvalSize, 1);
        var seed = args.Long("--seed", config.Train.Seed, 0);
        var device = Devices.Resolve(args.Choice("--device", "auto", ["auto", "cpu", "cuda"]));

        using var model = Checkpoint.LoadModel(runDir, device);
        var e = RunEvaluation.Write(runDir, model, task, size, seed);
        var path = RunEvaluation.PathOf(runDir, task);
        Console.WriteLine($"{config.Model.Cell} × {config.Model.Layers}  {task.Name}  T = {task.SeqLen}  n = {size}  " +
                          $"accuracy {e.Accuracy:F4}  sequence_accuracy {e.SequenceAccuracy:F4}  loss {e.Loss:F4}" +
                          string.Concat(task.Metrics.Select(m => $"  {m.Name} {RunJson.Number(e.TaskMetrics, m.Name):F4}")) + $"  → {path}");
        return 0;
    }
}
