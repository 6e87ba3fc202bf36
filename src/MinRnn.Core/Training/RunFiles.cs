using MinRnn.Runs;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MinRnn.Runtime;
using MinRnn.Tasks;

namespace MinRnn.Training;

/// <summary>DIR/summary.json, written once when a run completes; the task's own metrics on the evaluation set follow
/// as test_NAME (e.g. char-lm's test_bpc: FinalLoss in bits per character). Dim: the model width; ParamsTarget: the
/// `--params` N it was chosen for (null: none).</summary>
public sealed record RunSummary(
    string Model,
    int Layers,
    long Seed,
    JsonObject Task,
    int Steps,
    long Parameters,
    double FinalLoss,
    double TestAccuracy,
    double TestSequenceAccuracy,
    double TrainSeconds,
    string Device,
    string MinrnnVersion,
    RunConfig Config,
    int? Dim = null,
    long? ParamsTarget = null)
{
    /// <summary>The task's own metrics (test_NAME), written after the others.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? TaskMetrics { get; init; }

    /// <summary>char-lm's bits per character, when the summary has them.</summary>
    [JsonIgnore] public double? TestBpc => RunJson.Number(TaskMetrics, RunFields.TestBpc);
}

/// <summary>Names and atomic writes of the files of a run folder.</summary>
public static class RunFiles
{
    public const string Config = RunFileNames.Config;
    public const string Metrics = RunFileNames.Metrics;
    public const string Summary = RunFileNames.Summary;

    /// <summary>Everything of a run folder that a new run replaces (other files, e.g. eval-*.json or train.log, stay).</summary>
    public static readonly string[] Names = [Config, Metrics, Summary, Checkpoint.Folder, Checkpoint.Folder + ".old", Checkpoint.Folder + ".tmp",
        LabelledTask.HeldOutFile];

    /// <summary>MinRnn's version as the build set it (Directory.Build.props' Version, also the packages' version,
    /// pre-release label included): the informational version without the SDK's "+commit" suffix.</summary>
    public static string Version { get; } =
        typeof(RunFiles).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>Writes to FILE.tmp, fsyncs and renames over FILE, so readers never see half a file, also after a crash.</summary>
    public static void WriteAtomic(string path, string text) => Durable.WriteAtomic(path, text);

    /// <summary>Appends one line, on disk when this returns (a kill mid-append leaves at most a torn last line,
    /// which TruncateMetrics drops on resume).</summary>
    public static void AppendMetrics(string runDir, MetricsLine line) =>
        Durable.AppendLine(Path.Combine(runDir, Metrics), line.ToLine());

    /// <summary>Where Replace parks the old run's files while the new ones move in.</summary>
    public const string ReplacedFolder = RunFileNames.ReplacedFolder;

    /// <summary>Swaps a complete run trained aside (in newRun) into runDir: the old run's files move to runDir/.replaced/
    /// (then the marker .replaced/.complete is written), the new ones into runDir, then .replaced/ and newRun are deleted.
    /// A kill in between leaves both runs complete on disk (the old one in .replaced/), never a mixture in one folder,
    /// and calling it again finishes the swap: without the marker runDir's run files are old ones still to move, with
    /// it they are new ones already moved.</summary>
    public static void Replace(string runDir, string newRun)
    {
        var replaced = Path.Combine(runDir, ReplacedFolder);
        var oldMoved = Path.Combine(replaced, ".complete");
        if (!File.Exists(oldMoved))
        {
            Directory.CreateDirectory(replaced);                        // may hold old files moved before a kill
            foreach (var (name, i) in Names.Where(n => Path.Exists(Path.Combine(runDir, n))).Select((n, i) => (n, i)))
            {
                Move(Path.Combine(runDir, name), Path.Combine(replaced, name));
                TestHooks.Kill(TestHooks.ReplaceOld, i);
            }
            Durable.SyncFolder(runDir);
            Durable.WriteAtomic(oldMoved, "");
        }
        foreach (var (name, i) in Names.Where(n => Path.Exists(Path.Combine(newRun, n))).Select((n, i) => (n, i)))
        {
            Move(Path.Combine(newRun, name), Path.Combine(runDir, name));
            TestHooks.Kill(TestHooks.ReplaceNew, i);
        }
        Durable.SyncFolder(runDir);
        Directory.Delete(replaced, recursive: true);
        Directory.Delete(newRun, recursive: true);
    }

    private static void Move(string from, string to)
    {
        if (Directory.Exists(from)) Directory.Move(from, to);
        else File.Move(from, to);
    }

    /// <summary>All metrics lines of a run (malformed lines are an error naming the file and line number).</summary>
    public static List<MetricsLine> ReadMetrics(string runDir)
    {
        var path = Path.Combine(runDir, Metrics);
        var lines = new List<MetricsLine>();
        if (!File.Exists(path)) return lines;
        var number = 0;
        foreach (var text in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            try { lines.Add(MetricsLine.Parse(text)); }
            catch (JsonException e) { throw new BadFileException($"{path}:{number}: malformed metrics line ({e.Message})", e); }
        }
        return lines;
    }

    /// <summary>On resume: keep only the lines up to the checkpoint's step, so no evaluation is duplicated.</summary>
    public static void TruncateMetrics(string runDir, int step)
    {
        var path = Path.Combine(runDir, Metrics);
        if (!File.Exists(path)) return;
        var text = File.ReadAllText(path);
        if (!text.EndsWith('\n') && text.Length > 0)                  // a line torn by a kill mid-append
            File.WriteAllText(path, text[..(text.LastIndexOf('\n') + 1)]);
        var kept = ReadMetrics(runDir).Where(m => m.Step <= step).Select(m => m.ToLine() + "\n");
        WriteAtomic(path, string.Concat(kept));
    }

    public static void WriteSummary(string runDir, RunSummary summary) =>
        WriteAtomic(Path.Combine(runDir, Summary), JsonSerializer.Serialize(summary, RunConfig.Json));

    public static RunSummary ReadSummary(string runDir)
    {
        var path = Path.Combine(runDir, Summary);
        try
        {
            var text = File.ReadAllText(path);
            var summary = JsonSerializer.Deserialize<RunSummary>(text, RunConfig.Json) ?? throw new BadFileException($"{path}: empty");
            return summary with { TaskMetrics = RunJson.Unknown<RunSummary>(text, RunConfig.Json) };
        }
        catch (JsonException e) { throw new BadFileException($"{path}: malformed summary ({e.Message})", e); }
    }

    /// <summary>Reads DIR/config.json; a folder without one, or a malformed one, is a BadFileException.</summary>
    public static RunConfig ReadConfig(string runDir)
    {
        var path = Path.Combine(runDir, Config);
        if (!File.Exists(path)) throw new BadFileException($"{runDir}: not a MinRnn run folder (no {Config})");
        return RunConfig.FromJson(File.ReadAllText(path), path);
    }
}
