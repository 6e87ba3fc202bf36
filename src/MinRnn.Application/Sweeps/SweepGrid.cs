using System.Text.Json;
using System.Text.Json.Serialization;
using MinRnn.Tasks;

namespace MinRnn.Sweeps;

/// <summary>One run of a sweep: its folder name and the `minrnn train` arguments that define it.</summary>
public sealed record SweepRun(string Name, string Model, int Layers, long Seed, int SeqLen, int Tokens, string[] TrainArgs,
    string Task = SelectiveCopying.TaskName);

/// <summary>The grid of a sweep (models × layers × seeds × task settings) plus the training options every run
/// shares. Written into sweep.json; a sweep folder holds one grid. Without Tasks it is version 1's selective-copying
/// grid over SeqLens × Tokens (run names MODEL-L…-T…-K…-s…); with Tasks, each task runs with its quick preset and
/// the TaskOptions axes (key → values, `--task-opt seq_len=16,32`), SeqLens naming seq_len values when given
/// (run names TASK-MODEL-L…[-key…]-s…).</summary>
public sealed record SweepGrid(
    string[] Models, int[] Layers, long[] Seeds, int[] SeqLens, int[] Tokens, string Preset, string[] TrainArgs,
    string[]? Tasks = null, SortedDictionary<string, string[]>? TaskOptions = null)
{
    /// <summary>The `minrnn train` option that sets one task option (KEY=VALUE).</summary>
    public const string TaskOpt = "--task-opt";

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>A grid from a JSON spec (sweep.json's "grid" form); bad files throw ArgumentException naming --spec.</summary>
    public static SweepGrid Read(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"--spec: {path} does not exist");
        try
        {
            return JsonSerializer.Deserialize<SweepGrid>(File.ReadAllText(path), Json) ?? throw new ArgumentException($"--spec: {path} is empty");
        }
        catch (JsonException e) { throw new ArgumentException($"--spec: {path}: {e.Message.Split('\n')[0]}"); }
    }

    /// <summary>Every field given, every axis non-empty, every task one of this version (ArgumentException otherwise);
    /// whether each run's train arguments parse is the caller's check.</summary>
    public void Validate()
    {
        if (Models is null || Layers is null || Seeds is null || SeqLens is null || Tokens is null || Preset is null || TrainArgs is null)
            throw new ArgumentException("grid: models, layers, seeds, seq_lens, tokens, preset and train_args are all required");
        if (Models.Length == 0 || Layers.Length == 0 || Seeds.Length == 0 || (Tasks is null && (SeqLens.Length == 0 || Tokens.Length == 0)))
            throw new ArgumentException("grid: every axis needs at least one value");
        if (Tasks is { } tasks && (tasks.Length == 0 || tasks.Any(t => !TaskRegistry.Names.Contains(t))))
            throw new ArgumentException($"grid: tasks must name tasks of this version ({string.Join("|", TaskRegistry.Names)})");
    }

    /// <summary>Every run, in a fixed order (task, model, layers, task setting, seed): shards split this list.</summary>
    public List<SweepRun> Runs() => Tasks is null ? CopyRuns() : TaskRuns();

    private List<SweepRun> CopyRuns() =>
        (from model in Models
         from layers in Layers
         from seqLen in SeqLens
         from tokens in Tokens
         from seed in Seeds
         select new SweepRun($"{model}-L{layers}-T{seqLen}-K{tokens}-s{seed}", model, layers, seed, seqLen, tokens,
             ["--model", model, "--layers", $"{layers}", "--seq-len", $"{seqLen}", "--tokens", $"{tokens}", "--seed", $"{seed}",
              "--preset", Preset, .. TrainArgs])).ToList();

    private List<SweepRun> TaskRuns()
    {
        var axes = (TaskOptions ?? new()).Select(a => a.Value.Select(v => (a.Key, Value: v)).ToArray()).ToList();
        if (SeqLens.Length > 0) axes.Insert(0, SeqLens.Select(t => ("seq_len", Value: $"{t}")).ToArray());
        var settings = axes.Aggregate(new[] { Array.Empty<(string Key, string Value)>() },
            (acc, axis) => acc.SelectMany(s => axis.Select(v => s.Append(v).ToArray())).ToArray());
        return (from task in Tasks!
                from model in Models
                from layers in Layers
                from setting in settings
                from seed in Seeds
                let suffix = string.Concat(setting.Select(s => $"-{(s.Key == "seq_len" ? "T" : s.Key)}{s.Value}"))
                let seqLen = setting.Where(s => s.Key == "seq_len").Select(s => int.Parse(s.Value)).FirstOrDefault()
                select new SweepRun($"{task}-{model}-L{layers}{suffix}-s{seed}", model, layers, seed, seqLen, 0,
                    ["--task", task, "--model", model, "--layers", $"{layers}", "--seed", $"{seed}", "--preset", Preset,
                     .. setting.SelectMany(s => new[] { TaskOpt, $"{s.Key}={s.Value}" }), .. TrainArgs], task)).ToList();
    }

    /// <summary>The runs of shard `index` of `count`: every count-th run, starting at index.</summary>
    public List<SweepRun> Shard(int index, int count) => Runs().Where((_, i) => i % count == index).ToList();

    public bool SameGridAs(SweepGrid other) =>
        Models.SequenceEqual(other.Models) && Layers.SequenceEqual(other.Layers) && Seeds.SequenceEqual(other.Seeds) &&
        SeqLens.SequenceEqual(other.SeqLens) && Tokens.SequenceEqual(other.Tokens) && Preset == other.Preset &&
        TrainArgs.SequenceEqual(other.TrainArgs) && (Tasks ?? []).SequenceEqual(other.Tasks ?? []) &&
        JsonSerializer.Serialize(TaskOptions) == JsonSerializer.Serialize(other.TaskOptions);
}

/// <summary>sweep.json: the grid and the state of each run, derived from the run folders when written.</summary>
public sealed record SweepManifest(string Version, SweepGrid Grid, List<SweepManifest.Entry> Runs)
{
    public sealed record Entry(string Name, string Model, int Layers, long Seed, int SeqLen, int Tokens, string State, string Task);
}
