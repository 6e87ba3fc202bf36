using System.Text;
using MinRnn.Tasks;
using MinRnn.Training;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn data TASK: writes examples from exactly the generator training uses.</summary>
public static class DataCommand
{
    public static readonly string Usage = $$"""
        minrnn data TASK --count N --out FILE.jsonl|FILE.csv [--seq-len T] [--task-opt KEY=VALUE]… [--seed S]
                         [--split train|eval] [--batch B] [--force]      ({{UsageText.TaskOptions("", generatedOnly: true)}})
            TASK: {{UsageText.Tasks(112, "                  ", generatedOnly: true)}}; options default to the task's quick preset (docs/TASKS.md)
            rows: {"input": [...], "target": [...]} (target = the scored answers in order), plus "positions" where the task
                  defines a ground truth (one position per answer, or a list per answer)
            train split: rows are the training batches of a run with this seed and batch size, step 1, 2, …
            eval split:  the first N rows of the fixed evaluation set drawn for a run of this seed and size N
        """;

    public static readonly OptionSet Options = new(["--count", "--out", "--seq-len", "--tokens", "--vocab", "--seed", "--split", "--batch"], ["--force"], [TaskArgs.TaskOpt]);

    public static int Run(string[] argv)
    {
        var name = argv.FirstOrDefault();
        if (name is null || name.StartsWith("--", StringComparison.Ordinal) || !TaskRegistry.Names.Contains(name))
            throw new UsageException($"data: unknown task '{name}' (available: {string.Join("|", TaskRegistry.Names)})");
        var args = new Args(argv.Skip(1), Options);
        var count = args.Int("--count", 0, 1);
        if (!args.Has("--count")) throw new UsageException("--count: required");
        var path = args.Required("--out");
        var csv = path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase);
        if (!csv && !path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"--out: '{path}' must end in .jsonl or .csv");
        if (File.Exists(path) && !args.Flag("--force"))
            throw new UsageException($"--out: {path} exists (use --force to replace it)");
        if (args.Has("--vocab")) args.Int("--vocab", 0, 3);
        var task = TaskArgs.Apply(args, TaskRegistry.Find(name).Quick);
        var seed = args.Long("--seed", 0, 0);
        var split = args.Choice("--split", "train", ["train", "eval"]);
        var batch = args.Int("--batch", 64, 1);

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        using (var writer = new StreamWriter(temp, false, new UTF8Encoding(false)))
        {
            if (csv) writer.WriteLine(task.HasRelevance ? "input,target,positions" : "input,target");
            if (split == "eval")
            {
                using var b = task.Sample(count, Seeds.Evaluation(seed), TaskSplit.Evaluation);
                Write(writer, b, count, csv);
            }
            else
                for (var (step, left) = (1, count); left > 0; step++, left -= batch)
                {
                    using var b = task.Sample(batch, Seeds.TrainBatch(seed, step), TaskSplit.Train);
                    Write(writer, b, Math.Min(left, batch), csv);
                }
        }
        File.Move(temp, path, overwrite: true);
        Console.WriteLine($"wrote {count} {task.Name} examples ({TaskJson.OptionsOf(task).ToJsonString()}, seed {seed}, {split}) → {path}");
        return 0;
    }

    private static void Write(StreamWriter writer, TaskBatch b, long rows, bool csv)
    {
        var length = (int)b.Inputs.shape[1];
        var (inputs, targets) = (b.Inputs.data<long>().ToArray(), b.Targets.data<long>().ToArray());
        var mask = b.Relevance?.data<bool>().ToArray();
        var answers = (int)(b.Relevance?.shape[1] ?? 0);
        for (var r = 0; r < rows; r++)
        {
            var input = inputs.AsSpan(r * length, length).ToArray();
            var target = targets.AsSpan(r * length, length).ToArray().Where(t => t != TaskBatch.IgnoreIndex).ToArray();
            var positions = mask is null ? null
                : Enumerable.Range(0, answers).Select(a => Enumerable.Range(0, length).Where(p => mask[(r * answers + a) * length + p]).ToArray()).ToArray();
            var single = positions?.All(p => p.Length == 1) == true;
            string Positions(string listSep, string itemSep, Func<string, string> wrap) => single
                ? string.Join(listSep, positions!.Select(p => p[0]))
                : string.Join(listSep, positions!.Select(p => wrap(string.Join(itemSep, p))));
            if (csv)
                writer.WriteLine($"{string.Join(' ', input)},{string.Join(' ', target)}" + (positions is null ? "" : "," + Positions(" ", ";", s => s)));
            else
                writer.WriteLine($"{{\"input\":[{string.Join(',', input)}],\"target\":[{string.Join(',', target)}]" +
                                 (positions is null ? "" : $",\"positions\":[{Positions(",", ",", s => $"[{s}]")}]") + "}");
        }
    }
}
