using MinRnn.Onnx.Runtime;
using MinRnn.Tasks;
using MinRnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn predict: runs a checkpoint (TorchSharp) or an exported ONNX model (ONNX Runtime) on token sequences.</summary>
public static class PredictCommand
{
    public const string Usage = """
        minrnn predict --run DIR | --onnx FILE --input tokens.json --out out.json
                       [--batch-size N] [--provider cpu|cuda] [--fallback-cpu] [--device auto|cpu|cuda] [--threads N]
            tokens.json: [[int, …], …], sequences of token ids in [0, vocab), of any lengths ≥ 1
            out.json:    {"logits": [B][T_b][vocab], "predictions": [B][T_b]} (argmax), each row at its own length T_b,
                         written only on success
            --batch-size rows per model call (64); rows are sorted by length first so a call pads little
            --provider   ONNX Runtime execution provider for --onnx; cuda needs an NVIDIA GPU with CUDA 13 libraries,
                         and without --fallback-cpu its absence is an error (with it, a warning and the CPU)
            --device     TorchSharp device for --run
        minrnn predict --run DIR | --onnx FILE --data FILE.jsonl --out preds.jsonl     (classify, label)
            FILE.jsonl:  the model's own rows, {"input": text, token ids or numeric steps [[f1, …, fF], …]}, in the form
                         (and for numeric steps the F) it was trained on (labels not read)
            preds.jsonl: one line a row, {"line", "prediction", "probabilities": {class: p}} at the row's last step
                         (label: lists over the steps), written only on success
        """;

    public static int Run(string[] argv)
    {
        var args = new Args(argv, ["--run", "--onnx", "--input", "--data", "--out", "--provider", "--device", "--threads", "--batch-size"], ["--fallback-cpu"]);
        var (runDir, onnxPath) = (args.String("--run"), args.String("--onnx"));
        if ((runDir is null) == (onnxPath is null)) throw new UsageException("give exactly one of --run DIR or --onnx FILE");
        if (args.Has("--data") && args.Has("--input")) throw new UsageException("give one of --input tokens.json or --data FILE.jsonl");
        var rowsPath = args.String("--data");
        var input = rowsPath ?? args.Required("--input");
        var outPath = args.Required("--out");
        if (runDir is not null)
            foreach (var option in new[] { "--provider", "--fallback-cpu" }.Where(args.Has))
                throw new UsageException($"{option}: applies to --onnx only (use --device with --run)");
        if (onnxPath is not null && args.Has("--device")) throw new UsageException("--device: applies to --run only (use --provider with --onnx)");
        var provider = Common.ParseEnum("--provider", args.String("--provider"), MinRnn.ML.ExecutionProvider.Cpu);
        var threads = args.Int("--threads", 0, 0, 1024);
        var batchSize = args.Int("--batch-size", 64, 1, 1 << 20);
        if (onnxPath is not null && !File.Exists(onnxPath)) throw new UsageException($"--onnx: {onnxPath} does not exist");
        if (rowsPath is not null) return PredictRows(args, runDir, onnxPath, rowsPath, outPath, provider, threads, batchSize);
        if (!File.Exists(input)) throw new UsageException($"--input: {input} does not exist");
        if (runDir is not null && Common.ReadRun(runDir).Model.Features is { } features)
            throw new UsageException($"--input: the model reads numeric steps of {features} features, not token ids; give its rows with --data FILE.jsonl");
        var batch = TokenBatch.Parse(File.ReadAllText(input), "--input");

        if (onnxPath is not null)
        {
            using var model = OnnxModel.Load(onnxPath, provider, args.Flag("--fallback-cpu"), threads, w => Console.Error.WriteLine($"minrnn predict: {w}"));
            if (model.Input.Features is { } steps)
                throw new UsageException($"--input: the model reads numeric steps of {steps} features, not token ids; give its rows with --data FILE.jsonl");
            batch.CheckVocabulary(model.Config.Vocab, "--input");
            PredictionWriter.Write(outPath, model.Config.Vocab, model.Predict(batch.Rows, batchSize));
            Console.WriteLine($"{model.Config.Cell} × {model.Config.Layers} (ONNX Runtime, {model.Provider.ToString().ToLowerInvariant()}): {Shape(batch)} → {outPath}");
            return 0;
        }

        Common.ReadRun(runDir!);
        if (threads > 0) set_num_threads(threads);
        var device = Devices.Resolve(args.Choice("--device", "auto", ["auto", "cpu", "cuda"]));
        using var net = Checkpoint.LoadModel(runDir!, device);
        batch.CheckVocabulary(net.Config.Vocab, "--input");
        PredictionWriter.Write(outPath, net.Config.Vocab, net.Predict(batch.Rows, batchSize));
        Console.WriteLine($"{net.Config.Cell} × {net.Config.Layers} (TorchSharp, {device.type.ToString().ToLowerInvariant()}): {Shape(batch)} → {outPath}");
        return 0;
    }

    /// <summary>`--data FILE.jsonl`: the rows of a classify or label model, each row's class (or classes) and class
    /// probabilities as one JSON line.</summary>
    private static int PredictRows(Args args, string? runDir, string? onnxPath, string rowsPath, string outPath, MinRnn.ML.ExecutionProvider provider,
        int threads, int batchSize)
    {
        if (onnxPath is not null)
        {
            using var model = OnnxModel.Load(onnxPath, provider, args.Flag("--fallback-cpu"), threads, w => Console.Error.WriteLine($"minrnn predict: {w}"));
            var (task, rows) = Rows(model.Task.ToTask(), rowsPath);
            Write(outPath, task, rows, OnnxRowLogits.Of(model, task, rows, batchSize), model.Config.Vocab);
            Console.WriteLine($"{model.Config.Cell} × {model.Config.Layers} (ONNX Runtime, {model.Provider.ToString().ToLowerInvariant()}): {rows.Count} rows → {outPath}");
            return 0;
        }
        var config = Common.ReadRun(runDir!);
        var (labelled, labelledRows) = Rows(config.Task, rowsPath);
        if (threads > 0) set_num_threads(threads);
        var device = Devices.Resolve(args.Choice("--device", "auto", ["auto", "cpu", "cuda"]));
        using var net = Checkpoint.LoadModel(runDir!, device);
        Write(outPath, labelled, labelledRows, RowLogits.Of(net, labelled, labelledRows, batchSize), net.Config.Vocab);
        Console.WriteLine($"{net.Config.Cell} × {net.Config.Layers} (TorchSharp, {device.type.ToString().ToLowerInvariant()}): {labelledRows.Count} rows → {outPath}");
        return 0;
    }

    private static (LabelledTask Task, IReadOnlyList<LabelledRow> Rows) Rows(ISequenceTask task, string path)
    {
        var labelled = task as LabelledTask
            ?? throw new UsageException($"--data: the model's task {task.Name} reads no labelled rows (only {Classify.TaskName} and {StepLabels.TaskName} do; use --input)");
        try { return (labelled, labelled.PredictionRows(path, "data")); }
        catch (ArgumentException e) { throw new UsageException(TaskArgs.OptionName(e.Message)); }
    }

    private static void Write(string path, LabelledTask task, IReadOnlyList<LabelledRow> rows, IReadOnlyList<float[]> logits, int vocab) =>
        RunFiles.WriteAtomic(path, string.Concat(rows.Select((r, i) => task.Prediction(r, logits[i], vocab).ToJsonString() + "\n")));

    /// <summary>"B = 2, T = 7", or "B = 3, T = 2–9" for rows of different lengths.</summary>
    private static string Shape(TokenBatch batch)
    {
        var (min, max) = (batch.Rows.Min(r => r.Length), batch.MaxTime);
        return $"B = {batch.Batch}, T = {(min == max ? $"{max}" : $"{min}–{max}")}";
    }
}
