namespace MinRnn.Tasks;

/// <summary>One kind of task: its name, what it asks, its record type, and its quick CPU setting (the task with
/// the preset's options, and the training steps and learning rate chosen for it; docs/TASKS.md says how).</summary>
/// <summary>A task name this version does not know (a run folder from a newer MinRnn, or a typo): bad input, not a
/// corrupt file, wherever it is read.</summary>
public sealed class UnknownTaskException(string message) : ArgumentException(message);

public sealed record TaskKind(string Name, string Description, Type Type, ISequenceTask Quick, int QuickSteps, double QuickLr, string? Suite = null);

/// <summary>Every task MinRnn knows, in one table read by every layer (train, data, eval, sweep, study, export,
/// explain). Adding a task: its file, one line here, its tests.</summary>
public static class TaskRegistry
{
    public const string FormalSuite = "formal";

    public static readonly IReadOnlyList<TaskKind> All =
    [
        Kind(new SelectiveCopying(SeqLen: 64, Tokens: 4, Vocab: 16), 1500, 3e-3, "copy K data tokens from noise after K markers"),
        Kind(new Parity(SeqLen: 32), 1000, 3e-3, "is the number of ones odd", FormalSuite),
        Kind(new EvenPairs(SeqLen: 32), 1000, 3e-3, "is the count of ab plus ba even (first symbol = last)", FormalSuite),
        Kind(new CycleNavigation(SeqLen: 16), 2000, 3e-3, "final position of moves −1/0/+1 on a cycle of 5", FormalSuite),
        Kind(new Majority(SeqLen: 32), 1000, 3e-3, "the most frequent symbol (ties: smallest id)", FormalSuite),
        Kind(new MajorityCount(SeqLen: 16), 1500, 3e-3, "the count of the most frequent symbol", FormalSuite),
        Kind(new MissingDuplicate(SeqLen: 32), 1500, 3e-3, "the blanked token of w w", FormalSuite),
        Kind(new BucketSort(SeqLen: 16), 1000, 3e-3, "the string in sorted order, one token per step", FormalSuite),
        Kind(new AssociativeRecall(SeqLen: 64), 1500, 3e-3, "multi-query associative recall: each queried key's value"),
        Kind(new CharLm(SeqLen: 64), 300, 3e-3, "the next character of a UTF-8 text file (--data), scored in bits per character"),
        Kind(new Classify(), 1000, 3e-3, "the label of each of the user's rows (--data FILE.jsonl), read at the row's last step"),
        Kind(new StepLabels(), 1000, 3e-3, "a label at every step of the user's rows (--data FILE.jsonl)"),
        Kind(new Forecast(), 500, 3e-3, "the next H values of a column of the user's series (--data series.csv --target COL --horizon H)"),
    ];

    private static TaskKind Kind(ISequenceTask quick, int steps, double lr, string description, string? suite = null) =>
        new(quick.Name, description, quick.GetType(), quick, steps, lr, suite);

    public static IEnumerable<string> Names => All.Select(k => k.Name);

    public static IEnumerable<string> Suite(string suite) => All.Where(k => k.Suite == suite).Select(k => k.Name);

    /// <summary>The kind of a name (or of selective copying's file name, "selective_copying"); UnknownTaskException
    /// naming an unknown task.</summary>
    public static TaskKind Find(string name) =>
        All.FirstOrDefault(k => k.Name == name || (name == SelectiveCopying.FileName && k.Type == typeof(SelectiveCopying)))
        ?? throw new UnknownTaskException($"task: '{name}' is not a task of this MinRnn version (tasks: {string.Join("|", Names)})");
}
