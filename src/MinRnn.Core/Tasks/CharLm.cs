using MinRnn.Runs;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MinRnn.Models;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Tasks;

/// <summary>Character-level language modelling on a UTF-8 text file (the minRNN paper's third experiment, after
/// nanoGPT's Shakespeare). The vocabulary is the file's characters (Unicode scalar values) in code-point order plus
/// "unknown", stored as <see cref="Alphabet"/> so a run never needs the file again. Training windows of T + 1
/// characters are drawn by (seed, step) from the first 90% of the file: input = the first T, target = the next
/// character at every position. The evaluation set is fixed windows spread over the last 10% (or all of EvalData).</summary>
/// <param name="SeqLen">T, the input length of a window.</param>
/// <param name="Data">The training text (full path).</param>
/// <param name="EvalData">The evaluation text (full path); "" = the last 10% of Data.</param>
/// <param name="Alphabet">Every character of the vocabulary, in code-point order, as one string.</param>
public sealed record CharLm(int SeqLen = 128, string Data = "", string EvalData = "", string Alphabet = "") : IFileTask
{
    public const string TaskName = "char-lm";
    public const string UnknownToken = "unknown";

    [JsonIgnore] public string Name => TaskName;

    [JsonIgnore] public TaskVocabulary Vocabulary
    {
        get
        {
            var characters = Characters();
            return new([.. characters, UnknownToken], new Dictionary<string, int> { [UnknownToken] = characters.Length });
        }
    }

    /// <summary>The id of "unknown": every character outside the alphabet.</summary>
    [JsonIgnore] public int Unknown => Characters().Length;

    [JsonIgnore] public int? Filler => null;

    [JsonIgnore] public bool HasRelevance => false;

    [JsonIgnore] public string EvalLabel => EvalData == "" ? $"T{SeqLen}" : $"T{SeqLen}-{FileLabel(EvalData)}";

    [JsonIgnore] public string DataDescription => "a UTF-8 text file";

    [JsonIgnore] public string UsageOptions => "--data FILE [--eval-data FILE] [--vocab-from FILE] (UTF-8 text; --preset char or lm implies it)";

    [JsonIgnore] public IReadOnlyList<string> ExtraFileOptions => ["--vocab-from"];

    /// <summary>Bits per character: the mean cross-entropy in nats / ln 2.</summary>
    [JsonIgnore] public IReadOnlyList<TaskMetric> Metrics => [new(RunFields.Bpc, MetricDirection.LowerIsBetter)];

    public JsonObject Measure(Evaluation evaluation) => new() { [RunFields.Bpc] = evaluation.Loss / Math.Log(2) };

    /// <summary>char — character language modelling on a text file (the CharLm needs its --data): T = 128, d = 128,
    /// 2 layers, expansion 1.5, batch 32, AdamW 3e-3 with 100 warm-up steps and cosine decay, 1000 steps, evaluation on
    /// 256 windows every 250 steps — a few minutes on 2 cores (docs/TASKS.md, "## char-lm"). lm — char-lm compared as
    /// the field compares it: equal parameters, the language-model block, warm-up and cosine decay (LmPreset, docs/LM.md).</summary>
    [JsonIgnore] public IReadOnlyList<TaskPreset> Presets =>
    [
        new("char", "the char-lm setting", cell => new RunConfig(
            new ModelConfig(cell, Layers: 2, Vocab: new CharLm().Vocabulary.Size, Dim: 128, Expansion: 1.5),
            new CharLm(SeqLen: 128),
            new TrainOptions(Steps: 1000, Batch: 32, Lr: 3e-3, WeightDecay: 0.05, Clip: 1.0, WarmupSteps: 100, Schedule: LrSchedule.Cosine,
                EvalEvery: 250, CheckpointEvery: 250, EvalSize: 256))),
        new(LmPreset.Name, "the char-lm setting of docs/LM.md", cell => LmPreset.Get(cell, new CharLm())),
    ];

    public IFileTask WithFiles(TaskFiles files) => FromFiles(files.Data, SeqLen, files.VocabFrom, files.EvalData);

    /// <summary>The same alphabet over another evaluation text: characters outside it count as unknown.</summary>
    public IFileTask WithEvalData(string path) => this with { EvalData = Path.GetFullPath(path) };

    /// <summary>The task over a text file: the alphabet of `vocabularyFrom` (default: the data file itself).</summary>
    public static CharLm FromFiles(string data, int seqLen, string? vocabularyFrom = null, string? evalData = null)
    {
        var source = vocabularyFrom ?? data;
        var alphabet = string.Concat(CharText.Runes(source, vocabularyFrom is null ? "data" : "vocab_from")
            .Distinct().Order().Select(r => new Rune(r).ToString()));
        return new CharLm(seqLen, Path.GetFullPath(data), evalData is null ? "" : Path.GetFullPath(evalData), alphabet);
    }

    public void Validate()
    {
        if (SeqLen < 1) throw new ArgumentException($"seq_len: must be ≥ 1 (got {SeqLen})");
        if (Data == "") throw new ArgumentException("data: required (a UTF-8 text file)");
        var characters = Alphabet.EnumerateRunes().Select(r => r.Value).ToArray();
        if (characters.Length == 0) throw new ArgumentException("alphabet: empty (char-lm builds it from --data or --vocab-from)");
        for (var i = 1; i < characters.Length; i++)
            if (characters[i] <= characters[i - 1]) throw new ArgumentException("alphabet: characters must be distinct and in code-point order");
    }

    /// <summary>Loads both texts and checks that each split holds a window of T + 1 characters (ArgumentException
    /// naming the file otherwise), so a command fails before it writes anything.</summary>
    public void CheckData()
    {
        Validate();
        _ = TrainIds();
        _ = EvalIds();
    }

    public ISequenceTask WithSeqLen(int seqLen)
    {
        var task = this with { SeqLen = seqLen };
        task.Validate();
        return task;
    }

    /// <summary>Training: `batch` windows at uniform starts of the first 90%. Evaluation: `batch` windows at evenly
    /// spaced starts from the first to the last character of the evaluation text (they overlap when it holds fewer
    /// than `batch` windows of T + 1 characters); the seed is not used.</summary>
    public TaskBatch Sample(int batch, long seed, TaskSplit split)
    {
        Validate();
        var ids = split == TaskSplit.Train ? TrainIds() : EvalIds();
        var starts = split == TaskSplit.Train ? TrainStarts(ids.Length, batch, seed) : EvalStarts(ids.Length, batch);
        var inputs = new long[starts.Length * SeqLen];
        var targets = new long[starts.Length * SeqLen];
        for (var b = 0; b < starts.Length; b++)
            for (var t = 0; t < SeqLen; t++)
                (inputs[b * SeqLen + t], targets[b * SeqLen + t]) = (ids.Span[starts[b] + t], ids.Span[starts[b] + t + 1]);
        return new TaskBatch(tensor(inputs, [starts.Length, SeqLen], int64), tensor(targets, [starts.Length, SeqLen], int64), null);
    }

    private int[] TrainStarts(int length, int batch, long seed)
    {
        var random = new TaskRandom(seed);
        return [.. Enumerable.Range(0, batch).Select(_ => random.Next(length - SeqLen))];
    }

    private int[] EvalStarts(int length, int batch)
    {
        var last = length - SeqLen - 1;
        return [.. Enumerable.Range(0, batch).Select(j => batch == 1 ? 0 : (int)((long)j * last / (batch - 1)))];
    }

    /// <summary>Token ids of a text: characters outside the alphabet become <see cref="Unknown"/> (counted).</summary>
    public (long[] Ids, int Unknowns) Encode(string text)
    {
        var (index, unknown) = (Index(), Unknown);
        var ids = text.EnumerateRunes().Select(r => (long)index.GetValueOrDefault(r.Value, unknown)).ToArray();
        return (ids, ids.Count(id => id == unknown));
    }

    /// <summary>The character of a token id; unknown → U+FFFD.</summary>
    public string Decode(long id) => id >= 0 && id < Unknown ? Characters()[id] : "\uFFFD";

    public JsonObject Summary() => TaskJson.Summary(this);

    public IEnumerable<(string Key, string Value)> Metadata() => TaskJson.Metadata(this);

    private string[] Characters() => [.. Alphabet.EnumerateRunes().Select(r => r.ToString())];

    private Dictionary<int, int> Index() => Alphabet.EnumerateRunes().Select((r, i) => (r.Value, i)).ToDictionary(p => p.Value, p => p.i);

    private ReadOnlyMemory<int> TrainIds()
    {
        var ids = CharText.Ids(Data, Alphabet, Index(), Unknown, "data");
        var length = TrainLength(ids.Length);
        if (length < SeqLen + 1)
            throw new ArgumentException($"data: {Data} has {ids.Length} characters; its first 90% ({length}) is shorter than seq_len + 1 ({SeqLen + 1})");
        return ids.AsMemory(0, length);
    }

    private ReadOnlyMemory<int> EvalIds()
    {
        if (EvalData != "")
        {
            var eval = CharText.Ids(EvalData, Alphabet, Index(), Unknown, "eval_data");
            return eval.Length >= SeqLen + 1 ? eval
                : throw new ArgumentException($"eval_data: {EvalData} has {eval.Length} characters, fewer than seq_len + 1 ({SeqLen + 1})");
        }
        var ids = CharText.Ids(Data, Alphabet, Index(), Unknown, "data");
        var tail = ids.Length - TrainLength(ids.Length);
        return tail >= SeqLen + 1 ? ids.AsMemory(ids.Length - tail)
            : throw new ArgumentException($"data: {Data} has {ids.Length} characters; its evaluation tail (last 10%, {tail}) is shorter than seq_len + 1 ({SeqLen + 1})");
    }

    private static int TrainLength(int characters) => (int)(characters * 9L / 10);

    /// <summary>A file's name as it appears in an eval file's name: letters, digits, - and _ kept, others _.</summary>
    public static string FileLabel(string path) =>
        string.Concat(Path.GetFileNameWithoutExtension(path).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
