using System.Text;
using MinRnn.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn data selective-copy: writes examples from exactly the generator training uses.</summary>
public static class DataCommand
{
    public const string Usage = """
        minrnn data selective-copy --count N --out FILE.jsonl|FILE.csv [--seq-len T] [--tokens K] [--vocab V]
                                   [--seed S] [--split train|eval] [--batch B] [--force]
            train split: rows are the training batches of a run with this seed and batch size, step 1, 2, …
            eval split:  the first N rows of the fixed evaluation set drawn for a run of this seed and size N
        """;

    public static int Run(string[] argv)
    {
        if (argv.Length == 0 || argv[0] != "selective-copy")
            throw new UsageException($"data: unknown dataset '{argv.FirstOrDefault()}' (available: selective-copy)");
        var args = new Args(argv.Skip(1), ["--count", "--out", "--seq-len", "--tokens", "--vocab", "--seed", "--split", "--batch"], ["--force"]);
        var count = args.Int("--count", 0, 1);
        if (!args.Has("--count")) throw new UsageException("--count: required");
        var path = args.Required("--out");
        var csv = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && !path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"--out: '{path}' must end in .jsonl or .csv");
        if (File.Exists(path) && !args.Flag("--force"))
            throw new UsageException($"--out: {path} exists (use --force to replace it)");
        var quick = Presets.Get("quick").Task;
        var task = new SelectiveCopying(args.Int("--seq-len", quick.SeqLen, 1), args.Int("--tokens", quick.Tokens, 1), args.Int("--vocab", quick.Vocab, 3));
        if (task.SeqLen < task.Tokens) throw new UsageException($"--seq-len: {task.SeqLen} must be ≥ --tokens ({task.Tokens})");
        var seed = args.Long("--seed", 0, 0);
        var split = args.Choice("--split", "train", ["train", "eval"]);
        var batch = args.Int("--batch", 64, 1);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        using (var writer = new StreamWriter(temp, false, new UTF8Encoding(false)))
        {
            if (csv) writer.WriteLine("input,target,positions");
            if (split == "eval")
            {
                using var b = task.Sample(count, Seeds.Evaluation(seed));
                Write(writer, b, count, csv);
            }
            else
                for (var (step, left) = (1, count); left > 0; step++, left -= batch)
                {
                    using var b = task.Sample(batch, Seeds.TrainBatch(seed, step));
                    Write(writer, b, Math.Min(left, batch), csv);
                }
        }
        File.Move(temp, path, overwrite: true);
        Console.WriteLine($"wrote {count} selective-copying examples (T = {task.SeqLen}, K = {task.Tokens}, vocab {task.Vocab}, seed {seed}, {split}) → {path}");
        return 0;
    }

    private static void Write(StreamWriter writer, CopyBatch b, long rows, bool csv)
    {
        var (inputs, targets, positions) = (b.Inputs.data<long>().ToArray(), b.Targets.data<long>().ToArray(), b.Positions.data<long>().ToArray());
        var (n, k) = (b.Inputs.shape[1], b.Targets.shape[1]);
        for (var r = 0; r < rows; r++)
        {
            var input = inputs.AsSpan((int)(r * n), (int)n).ToArray();
            var target = targets.AsSpan((int)(r * k), (int)k).ToArray();
            var position = positions.AsSpan((int)(r * k), (int)k).ToArray();
            writer.WriteLine(csv
                ? $"{string.Join(' ', input)},{string.Join(' ', target)},{string.Join(' ', position)}"
                : $"{{\"input\":[{string.Join(',', input)}],\"target\":[{string.Join(',', target)}],\"positions\":[{string.Join(',', position)}]}}");
        }
    }
}
