using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
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
public sealed record CharLm(int SeqLen = 128, string Data = "", string EvalData = "", string Alphabet = "") : ISequenceTask
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

    [JsonIgnore] public string EvalLabel => EvalData == "" ? $"T{SeqLen}" : $"T{SeqLen}-{Label(EvalData)}";

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

    /// <summary>Bits per character of a mean cross-entropy in nats (loss / ln 2) for a language-model task; null otherwise.</summary>
    public static double? BitsPerCharacter(ISequenceTask task, double loss) => task is CharLm ? loss / Math.Log(2) : null;

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

    private static string Label(string path) =>
        string.Concat(Path.GetFileNameWithoutExtension(path).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
}
