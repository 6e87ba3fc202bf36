using System.Globalization;
using MinRnn.Tasks;

namespace MinRnn.Cli;

/// <summary>The task options every command that builds a task shares: `--task NAME`, `--seq-len T`, selective
/// copying's `--tokens K --vocab V`, a file-backed task's files (`--data`, `--eval-data`, char-lm's `--vocab-from`),
/// and `--task-opt key=value` (repeatable) for any option of the task.</summary>
public static class TaskArgs
{
    public const string TaskOpt = MinRnn.Sweeps.SweepGrid.TaskOpt;

    public static readonly string[] ValueOptions = ["--task", "--seq-len", "--tokens", "--vocab"];

    /// <summary>Options that are named after a task option (option → its JSON name).</summary>
    private static readonly (string Option, string Key)[] Named = [("--seq-len", "seq_len"), ("--tokens", "tokens"), ("--vocab", "vocab")];

    /// <summary>The files of file-backed tasks: `train --data FILE [--eval-data FILE]` and each task's own (char-lm:
    /// `--vocab-from FILE`).</summary>
    public static readonly string[] FileOptions =
        ["--data", "--eval-data", .. TaskRegistry.All.Select(k => k.Quick).OfType<IFileTask>().SelectMany(t => t.ExtraFileOptions).Distinct()];

    /// <summary>For a file-backed task, the task over --data and its other files; any other task is returned as it is,
    /// and a file option given to it (or one its task does not read) is a usage error.</summary>
    public static ISequenceTask Text(Args args, ISequenceTask start)
    {
        if (start is not IFileTask file)
            return FileOptions.FirstOrDefault(args.Has) is { } option
                ? throw new UsageException($"{option}: task {start.Name} reads no data file (only {FileTaskNames} do)")
                : start;
        if (FileOptions.Skip(2).Except(file.ExtraFileOptions).FirstOrDefault(args.Has) is { } other)
            throw new UsageException($"{other}: task {start.Name} does not read it");
        var data = args.String("--data") ?? throw new UsageException($"--data: required for --task {start.Name} ({file.DataDescription})");
        var options = file.ExtraFileOptions.Append("--seq-len").Where(args.Has).ToDictionary(o => o, o => args.String(o)!);
        return Checked(() => file.WithFiles(new TaskFiles(data, args.String("--eval-data"), args.String("--vocab-from"), options)));
    }

    /// <summary>The trained task scored on another file (`eval --data FILE`); a usage error for a task without files.</summary>
    public static ISequenceTask EvalData(ISequenceTask task, string path) => task is IFileTask file
        ? Checked(() => file.WithEvalData(path))
        : throw new UsageException($"--data: task {task.Name} reads no data file (only {FileTaskNames} do)");

    /// <summary>Loads a file-backed task's files and checks them against its options (a usage error naming the option
    /// and file), so nothing is written for a file that cannot be used; other tasks pass.</summary>
    public static void CheckData(ISequenceTask task)
    {
        if (task is IFileTask file) Checked(() => { file.CheckData(); return file; });
    }

    private static string FileTaskNames => string.Join("|", TaskRegistry.All.Where(k => k.Quick is IFileTask).Select(k => k.Name));

    private static T Checked<T>(Func<T> build)
    {
        try { return build(); }
        catch (ArgumentException e) { throw new UsageException(OptionName(e.Message)); }
    }

    /// <summary>The task name of --task (default selective-copy), checked against the registry.</summary>
    public static string Name(Args args, string fallback = SelectiveCopying.TaskName) =>
        args.Choice("--task", fallback, TaskRegistry.Names.ToArray());

    /// <summary>`start` with every given task option applied and validated.</summary>
    public static ISequenceTask Apply(Args args, ISequenceTask start)
    {
        var keys = TaskJson.OptionsOf(start).Select(o => o.Key).ToHashSet();
        var settings = new List<(string, string)>();
        foreach (var (option, key) in Named.Where(n => args.Has(n.Option)))
        {
            if (!keys.Contains(key))
                throw new UsageException($"{option}: task {start.Name} does not take this option (its options: {string.Join(", ", keys)})");
            settings.Add((key, args.Long(option, 0, 1).ToString(CultureInfo.InvariantCulture)));
        }
        settings.AddRange(Settings(args.Strings(TaskOpt)));
        return Build(start, settings);
    }

    /// <summary>key=value pairs of --task-opt.</summary>
    public static IEnumerable<(string Key, string Value)> Settings(IEnumerable<string> pairs) =>
        pairs.Select(p => p.Split('=', 2) is [var k, var v] && k.Length > 0
            ? (k.Trim(), v.Trim()) : throw new UsageException($"{TaskOpt}: '{p}' is not key=value"));

    /// <summary>The task with the settings applied; a task's ArgumentException becomes a one-line usage error naming the option.</summary>
    public static ISequenceTask Build(ISequenceTask start, IEnumerable<(string Key, string Value)> settings)
    {
        try
        {
            var task = TaskJson.With(start, settings);
            task.Validate();
            return task;
        }
        catch (ArgumentException e)
        {
            throw new UsageException(OptionName(e.Message));
        }
    }

    /// <summary>"seq_len: …" → "--seq-len: …"; other task options → "--task-opt pairs: …".</summary>
    public static string OptionName(string message)
    {
        var colon = message.IndexOf(':');
        if (colon <= 0 || message.StartsWith(TaskOpt, StringComparison.Ordinal)) return message;
        var key = message[..colon].Replace('-', '_');
        if (key is "task_opt" or "task" or "data" or "eval_data" || FileOptions.Contains("--" + key.Replace('_', '-')))
            return "--" + message[..colon].Replace('_', '-') + message[colon..];
        return Named.FirstOrDefault(n => n.Key == key).Option is { } option
            ? option + message[colon..]
            : $"{TaskOpt} {key}{message[colon..]}";
    }
}
