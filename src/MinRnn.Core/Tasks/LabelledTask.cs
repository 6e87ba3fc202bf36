using MinRnn.Runs;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Tasks;

/// <summary>What the tasks over the user's labelled rows share (classify, label; docs/OWN_DATA.md): the vocabulary
/// (input tokens, then pad, then one token per class; numeric steps have no input tokens), the split, padded batches and
/// the class metrics. A row longer
/// than T keeps its first T steps; shorter rows are padded after their end, which a causal model never sees before
/// it, so each row is read at its own steps. The model's answer at a scored step is its most probable class.</summary>
/// <param name="SeqLen">T: the longest row read (default: the longest row of the files).</param>
/// <param name="Data">The training rows (JSONL, full path).</param>
/// <param name="EvalData">The evaluation rows (full path); "" = a seeded 10% of Data held out (held-out.json says which).</param>
/// <param name="Form">text (input = characters), tokens (input = token ids) or numeric (input = steps of F numbers).</param>
/// <param name="Alphabet">text: every character of the training inputs in code-point order; others read as "unknown".</param>
/// <param name="InputTokens">tokens: the input vocabulary size (the largest id in the files + 1).</param>
/// <param name="ClassNames">The class names, in order (integer labels: numerically); class c is token Classes.First + c.</param>
/// <param name="IntegerLabels">The files' labels are integers (their names are their decimal form).</param>
/// <param name="HoldoutSeed">The seed of the held-out split.</param>
/// <param name="Features">numeric: F, the numbers a step; null for the other forms.</param>
/// <param name="FeatureMean">numeric: each feature's mean over the training rows' steps (FeatureStandardisation).</param>
/// <param name="FeatureStd">numeric: each feature's population standard deviation there, 1 for a constant feature.</param>
public abstract record LabelledTask(int SeqLen, string Data, string EvalData, string Form, string Alphabet, int InputTokens,
    string[] ClassNames, bool IntegerLabels, long HoldoutSeed, int? Features, float[]? FeatureMean, float[]? FeatureStd) : IFileTask
{
    public const string UnknownToken = "unknown";
    public const string PadToken = "pad";
    public const string HeldOutFile = RunFileNames.HeldOut;

    private static readonly ConcurrentDictionary<(LabelledFile, LabelledFile?, long, string, int?, int, string), (List<LabelledRow>, List<LabelledRow>)> Splits = new();
    private static readonly ConcurrentDictionary<string, Dictionary<int, int>> CharacterIds = new();

    /// <summary>The share of rows held out when no evaluation file is given.</summary>
    public const double HeldOutShare = 0.1;

    [JsonIgnore] public abstract string Name { get; }

    /// <summary>Where the rows' labels sit: one a row (scored at the row's last step read; the held-out rows are drawn
    /// per class) or one a step (every step read is scored; the held-out rows are drawn from all rows).</summary>
    [JsonIgnore] protected abstract LabelShape Shape { get; }

    private bool Stratified => Shape == LabelShape.PerRow;

    /// <summary>The scored steps of a row of `steps` (≤ T) steps.</summary>
    private IEnumerable<int> Scored(int steps) => Shape == LabelShape.PerRow ? [steps - 1] : Enumerable.Range(0, steps);

    /// <summary>A row's label at a scored step.</summary>
    private string LabelAt(LabelledRow row, int step) => Shape == LabelShape.PerRow ? row.Labels[0] : row.Labels[step];

    [JsonIgnore] public string DataDescription => $"a JSONL file of {{\"input\": …, \"{LabelledRows.Field(Shape)}\": …}} rows";

    [JsonIgnore] public string UsageOptions => "--data FILE.jsonl [--eval-data FILE.jsonl] (your rows: docs/OWN_DATA.md)";

    [JsonIgnore] public IReadOnlyList<string> ExtraFileOptions => [];

    [JsonIgnore] public TaskVocabulary Vocabulary
    {
        get
        {
            var inputs = Form == LabelledRows.Text ? [.. Alphabet.EnumerateRunes().Select(r => r.ToString()), UnknownToken]
                : Form == LabelledRows.Numeric ? []
                : Enumerable.Range(0, InputTokens).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToList();
            var special = new Dictionary<string, int> { [PadToken] = inputs.Count };
            if (Form == LabelledRows.Text) special[UnknownToken] = inputs.Count - 1;
            return new([.. inputs, PadToken, .. Names.Select(c => $"<{c}>")], special);
        }
    }

    [JsonIgnore] public ClassTokens Classes => new(Pad + 1, Names.Length);

    [JsonIgnore] public int? Filler => null;

    [JsonIgnore] public int? InputFeatures => Form == LabelledRows.Numeric ? Features : null;

    [JsonIgnore] public (float[] Mean, float[] Std)? InputStandardisation =>
        Form == LabelledRows.Numeric && FeatureMean is not null && FeatureStd is not null ? (FeatureMean, FeatureStd) : null;

    [JsonIgnore] public bool HasRelevance => false;

    [JsonIgnore] public string EvalLabel => EvalData == "" ? $"T{SeqLen}" : $"T{SeqLen}-{CharLm.FileLabel(EvalData)}";

    [JsonIgnore] public IReadOnlyList<TaskMetric> Metrics => [new("macro_f1", MetricDirection.HigherIsBetter)];

    public JsonObject Measure(Evaluation evaluation)
    {
        if (evaluation.Confusion is not { } confusion) return [];
        var matrix = new JsonArray();
        for (var c = 0; c < confusion.GetLength(0); c++)
            matrix.Add(new JsonArray([.. Enumerable.Range(0, confusion.GetLength(1)).Select(k => (JsonNode)JsonValue.Create(confusion[c, k]))]));
        return new JsonObject { ["macro_f1"] = ClassScores.MacroF1(confusion), ["confusion_matrix"] = matrix };
    }

    private string[] Names => ClassNames ?? [];

    private int Pad => Form == LabelledRows.Text ? Alphabet.EnumerateRunes().Count() + 1 : Form == LabelledRows.Numeric ? 0 : InputTokens;

    public virtual bool Equals(LabelledTask? other) =>
        other is not null && other.GetType() == GetType() && (SeqLen, Data, EvalData, Form, Alphabet, InputTokens, IntegerLabels, HoldoutSeed, Features) ==
        (other.SeqLen, other.Data, other.EvalData, other.Form, other.Alphabet, other.InputTokens, other.IntegerLabels, other.HoldoutSeed, other.Features) &&
        Names.SequenceEqual(other.Names) && (FeatureMean ?? []).SequenceEqual(other.FeatureMean ?? []) && (FeatureStd ?? []).SequenceEqual(other.FeatureStd ?? []);

    public override int GetHashCode() => HashCode.Combine(SeqLen, Data, EvalData, Form, Alphabet, InputTokens, string.Join("\n", Names), HashCode.Combine(HoldoutSeed, Features));

    public void Validate()
    {
        if (SeqLen < 1) throw new ArgumentException($"seq_len: must be ≥ 1 (got {SeqLen})");
        if (Data == "") throw new ArgumentException($"data: required ({DataDescription})");
        if (Form is not (LabelledRows.Text or LabelledRows.Tokens or LabelledRows.Numeric))
            throw new ArgumentException($"form: '{Form}' is not one of text|tokens|numeric");
        if (Form == LabelledRows.Text && Alphabet == "") throw new ArgumentException("alphabet: empty (built from the --data rows)");
        if (Form == LabelledRows.Tokens && InputTokens < 1) throw new ArgumentException($"input_tokens: must be ≥ 1 (got {InputTokens})");
        if (Form != LabelledRows.Numeric && (Features, FeatureMean, FeatureStd) != (null, null, null))
            throw new ArgumentException($"features: only numeric rows have features, these are {Form}");
        if (Form == LabelledRows.Numeric)
        {
            if (Features is not (>= 1)) throw new ArgumentException($"features: must be ≥ 1 for numeric rows (got {Features?.ToString(CultureInfo.InvariantCulture) ?? "none"})");
            if (FeatureMean?.Length != Features || FeatureMean.Any(m => !float.IsFinite(m)))
                throw new ArgumentException($"feature_mean: needs {Features} finite numbers (learned from the --data rows)");
            if (FeatureStd?.Length != Features || FeatureStd.Any(d => !(d > 0) || !float.IsFinite(d)))
                throw new ArgumentException($"feature_std: needs {Features} finite numbers > 0 (learned from the --data rows)");
        }
        if (Names.Length < 2 || Names.Distinct().Count() != Names.Length)
            throw new ArgumentException("class_names: needs at least two distinct class names");
    }

    public ISequenceTask WithSeqLen(int seqLen) => (this with { SeqLen = seqLen }).Validated();

    /// <summary>Reads the files: the form, alphabet or token count, classes (from --data; an evaluation label outside
    /// them is an error) and T = the longest row of both files.</summary>
    public IFileTask WithFiles(TaskFiles files)
    {
        var data = LabelledRows.Read(files.Data, "data", Shape);
        var eval = files.EvalData is null ? null : LabelledRows.Read(files.EvalData, "eval_data", Shape);
        var names = data.Rows.SelectMany(r => r.Labels).Distinct().ToArray();
        if (names.Length < 2)
            throw new ArgumentException($"data: {files.Data}: every {LabelledRows.Field(Shape)} is '{names[0]}'; a classifier needs at least two classes");
        var classes = data.IntegerLabels ? names.OrderBy(n => long.Parse(n, CultureInfo.InvariantCulture)).ToArray() : names.Order(StringComparer.Ordinal).ToArray();
        var rows = eval is null ? data.Rows : [.. data.Rows, .. eval.Rows];
        var numeric = data.Form == LabelledRows.Numeric;
        var task = this with
        {
            Data = data.Path, EvalData = eval?.Path ?? "", Form = data.Form, IntegerLabels = data.IntegerLabels, ClassNames = classes,
            Alphabet = data.Form == LabelledRows.Text ? string.Concat(data.Rows.SelectMany(r => r.Input).Distinct().Order().Select(c => new System.Text.Rune(c).ToString())) : "",
            InputTokens = data.Form == LabelledRows.Tokens ? rows.Max(r => r.Input.Max()) + 1 : 0,
            SeqLen = rows.Max(r => r.Steps),
            Features = numeric ? data.Features : null,
            // placeholders until the split is known: the standardisation is learned from the training rows alone
            FeatureMean = numeric ? new float[data.Features] : null,
            FeatureStd = numeric ? Enumerable.Repeat(1f, data.Features).ToArray() : null,
        };
        if (numeric)
        {
            var (mean, std) = FeatureStandardisation.Of(task.Split().Train, data.Features);   // Split checks the evaluation file's form and F
            task = task with { FeatureMean = mean, FeatureStd = std };
        }
        task.CheckData();
        return task;
    }

    public IFileTask WithEvalData(string path) => this with { EvalData = Path.GetFullPath(path) };

    /// <summary>Both files against the options: one input form, known classes and token ids, rows on both sides of the split.</summary>
    public void CheckData()
    {
        Validate();
        var (train, eval) = Split();
        if (train.Count == 0) throw new ArgumentException($"data: {Data} leaves no training row");
        if (eval.Count == 0)
            throw new ArgumentException($"data: {Data} has {train.Count} rows; holding out {HeldOutShare * 100:0}% of each class leaves none to evaluate (give --eval-data)");
    }

    /// <summary>held-out.json: which lines of Data were held out for evaluation (none is written with an evaluation file).</summary>
    public IEnumerable<(string Name, string Text)> RunFiles()
    {
        if (EvalData != "") yield break;
        var (_, eval) = Split();
        var json = new JsonObject
        {
            ["data"] = Data, ["holdout_seed"] = HoldoutSeed, ["share"] = HeldOutShare, ["stratified"] = Stratified,
            ["lines"] = new JsonArray([.. eval.Select(r => (JsonNode)JsonValue.Create(r.Line))]),
        };
        yield return (HeldOutFile, json.ToJsonString() + "\n");
    }

    /// <summary>Train: `batch` rows drawn with replacement by (seed). Evaluation: every evaluation row in file order, or
    /// `batch` of them evenly spaced when there are more; the seed is not used.</summary>
    public TaskBatch Sample(int batch, long seed, TaskSplit split)
    {
        Validate();
        if (split == TaskSplit.Evaluation) return Batch(EvaluationRows(batch));
        var (train, _) = Split();
        var random = new TaskRandom(seed);
        return Batch([.. Enumerable.Range(0, batch).Select(_ => train[random.Next(train.Count)])]);
    }

    /// <summary>The rows of the evaluation batch of `batch` rows, in its order (their Line names them in the file).</summary>
    public IReadOnlyList<LabelledRow> EvaluationRows(int batch)
    {
        var (_, eval) = Split();
        return eval.Count <= batch ? eval : [.. Enumerable.Range(0, batch).Select(j => eval[batch == 1 ? 0 : (int)((long)j * (eval.Count - 1) / (batch - 1))])];
    }

    /// <summary>Numeric rows: each evaluation row's logit of its true class at its last step read.</summary>
    public StepRows? ExplainRows(int samples)
    {
        if (InputFeatures is null) return null;
        var rows = EvaluationRows(samples);
        using var batch = Sample(samples, 0, TaskSplit.Evaluation);
        var steps = rows.Select(r => (long)Math.Min(r.Steps, SeqLen) - 1).ToArray();
        var (targets, length) = (batch.Targets.data<long>().ToArray(), batch.Targets.shape[1]);
        var classes = steps.Select((s, b) => targets[b * length + s]).ToArray();
        var ids = rows.Select((r, b) => new JsonObject { ["line"] = r.Line, ["class"] = ClassNames[classes[b] - Classes.First] }).ToList();
        return new StepRows(batch.Inputs.clone(), steps, classes, ids, "the logit of the row's true class at its last step read (label: that step's label)");
    }

    /// <summary>Rows as one batch padded to its longest row (≤ T): inputs (B, L), targets the class tokens at the scored steps.</summary>
    private TaskBatch Batch(IReadOnlyList<LabelledRow> rows)
    {
        var length = rows.Max(r => Math.Min(r.Steps, SeqLen));
        var index = Names.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        var targets = new long[rows.Count * length];
        Array.Fill(targets, TaskBatch.IgnoreIndex);
        for (var b = 0; b < rows.Count; b++)
            foreach (var step in Scored(Math.Min(rows[b].Steps, SeqLen))) targets[b * length + step] = Classes.First + index[LabelAt(rows[b], step)];
        return new TaskBatch(Inputs(rows, length), tensor(targets, [rows.Count, length], int64), null);
    }

    /// <summary>The rows' inputs padded after each row's end to `length` steps: token ids (B, L) int64 padded with `pad`, or
    /// numeric steps (B, L, F) float32 padded with zeros. A causal model never reads the padding before a row's own steps.</summary>
    public Tensor Inputs(IReadOnlyList<LabelledRow> rows, int length)
    {
        if (Form == LabelledRows.Numeric)
        {
            var f = Features!.Value;
            var values = new float[rows.Count * length * f];
            for (var b = 0; b < rows.Count; b++) EncodeSteps(rows[b]).CopyTo(values, b * length * f);
            return tensor(values, [rows.Count, length, f], float32);
        }
        var inputs = new long[rows.Count * length];
        Array.Fill(inputs, Pad);
        for (var b = 0; b < rows.Count; b++) Encode(rows[b]).CopyTo(inputs, b * length);
        return tensor(inputs, [rows.Count, length], int64);
    }

    /// <summary>A row's input as token ids, its first T steps: characters outside the alphabet read as "unknown". Numeric
    /// rows have no token ids (EncodeSteps).</summary>
    public long[] Encode(LabelledRow row)
    {
        if (Form == LabelledRows.Numeric) throw new ArgumentException($"data: line {row.Line}: input: numeric steps have no token ids (the model reads (B, T, {Features}) features)");
        var steps = Math.Min(row.Input.Length, SeqLen);
        if (Form == LabelledRows.Tokens)
            return row.Input.Take(steps).Select(x => x < InputTokens ? x
                : throw new ArgumentException($"data: line {row.Line}: input: token id {x} is outside the vocabulary [0, {InputTokens})")).Select(x => (long)x).ToArray();
        var characters = CharacterIds.GetOrAdd(Alphabet, a => a.EnumerateRunes().Select((r, i) => (r.Value, i)).ToDictionary(p => p.Value, p => p.i));
        return [.. row.Input.Take(steps).Select(c => (long)characters.GetValueOrDefault(c, Pad - 1))];
    }

    /// <summary>A numeric row's first T steps as raw features, steps × F row-major (the model standardises them itself).</summary>
    public float[] EncodeSteps(LabelledRow row)
    {
        if (Form != LabelledRows.Numeric || row.Values is null || row.Features != Features)
            throw new ArgumentException($"data: line {row.Line}: input: {(row.Values is null ? "not numeric steps" : $"steps of {row.Features} features")}, " +
                                        $"the task reads steps of {Features?.ToString(CultureInfo.InvariantCulture) ?? "no"} features");
        return row.Values[..(Math.Min(row.Steps, SeqLen) * row.Features)];
    }

    /// <summary>The rows of a file to predict (any labels are not read), checked against the task's input form and tokens.</summary>
    public IReadOnlyList<LabelledRow> PredictionRows(string path, string option)
    {
        var file = LabelledRows.Read(path, option, LabelShape.None);
        Check(file, option);
        return file.Rows;
    }

    /// <summary>One row's prediction from its logits (steps × vocab, row-major): at each scored step the most probable
    /// class and the class probabilities (softmax over the class tokens' logits, in float64). classify:
    /// {"line", "prediction", "probabilities": {class: p}}; label: the same with a list over the steps.</summary>
    public JsonObject Prediction(LabelledRow row, float[] logits, int vocab)
    {
        var (steps, answers) = (logits.Length / vocab, new List<(JsonNode Class, JsonObject Probabilities)>());
        foreach (var step in Scored(steps))
        {
            var scores = logits.AsSpan(step * vocab + Classes.First, Names.Length).ToArray().Select(x => (double)x).ToArray();
            var max = scores.Max();
            var exp = scores.Select(x => Math.Exp(x - max)).ToArray();
            var sum = exp.Sum();
            var best = Array.IndexOf(scores, max);
            answers.Add((IntegerLabels ? JsonValue.Create(long.Parse(Names[best], CultureInfo.InvariantCulture)) : JsonValue.Create(Names[best])!,
                new JsonObject(Names.Select((c, i) => KeyValuePair.Create(c, (JsonNode?)JsonValue.Create(exp[i] / sum))))));
        }
        return Shape == LabelShape.PerRow
            ? new JsonObject { ["line"] = row.Line, ["prediction"] = answers[0].Class, ["probabilities"] = answers[0].Probabilities }
            : new JsonObject
            {
                ["line"] = row.Line, ["prediction"] = new JsonArray([.. answers.Select(a => a.Class)]),
                ["probabilities"] = new JsonArray([.. answers.Select(a => (JsonNode)a.Probabilities)]),
            };
    }

    /// <summary>The training and evaluation rows: all of Data and of EvalData, or Data split by HoldoutSeed (a share of
    /// each class, or of all rows, rounded half up; a class of under 5 rows keeps them all for training).</summary>
    private (List<LabelledRow> Train, List<LabelledRow> Eval) Split()
    {
        var data = LabelledRows.Read(Data, "data", Shape);
        var eval = EvalData == "" ? null : LabelledRows.Read(EvalData, "eval_data", Shape);
        // Every training step samples from the split: it is worked out (and the files checked) once per files and task.
        return Splits.GetOrAdd((data, eval, HoldoutSeed, Form, Features, InputTokens, string.Join("\n", Names)), _ => SplitAnew(data, eval));
    }

    private (List<LabelledRow> Train, List<LabelledRow> Eval) SplitAnew(LabelledFile data, LabelledFile? evalFile)
    {
        if (evalFile is { } eval)
        {
            Check(eval, "eval_data");
            return ([.. data.Rows], [.. eval.Rows]);
        }
        Check(data, "data");
        var random = new TaskRandom(HoldoutSeed);
        var held = new HashSet<int>();
        var groups = Stratified ? data.Rows.Select((r, i) => (r, i)).GroupBy(p => p.r.Labels[0]).OrderBy(g => Array.IndexOf(Names, g.Key)).Select(g => g.Select(p => p.i).ToArray())
            : [Enumerable.Range(0, data.Rows.Count).ToArray()];
        foreach (var group in groups)
            foreach (var k in random.Distinct(group.Length, (int)Math.Floor(group.Length * HeldOutShare + 0.5)))
                held.Add(group[k]);
        return ([.. data.Rows.Where((_, i) => !held.Contains(i))], [.. data.Rows.Where((_, i) => held.Contains(i))]);
    }

    /// <summary>A file's rows against the task: its input form and features a step, its classes, its token ids.</summary>
    private void Check(LabelledFile file, string option)
    {
        if (file.Form != Form) throw new ArgumentException($"{option}: {file.Path} line {file.Rows[0].Line}: input: {file.Form}, but the task reads {Form}");
        if (Form == LabelledRows.Numeric && file.Features != Features)
            throw new ArgumentException($"{option}: {file.Path} line {file.Rows[0].Line}: input[0]: steps of {file.Features} features, but the task reads {Features}");
        var known = Names.ToHashSet();
        foreach (var row in file.Rows)
        {
            if (row.Labels.FirstOrDefault(l => !known.Contains(l)) is { } unknown)
                throw new ArgumentException($"{option}: {file.Path} line {row.Line}: {LabelledRows.Field(Shape)}: '{unknown}' is not a class of the training data ({string.Join(", ", Names)})");
            if (Form == LabelledRows.Tokens && row.Input.FirstOrDefault(x => x >= InputTokens, -1) is var id and >= 0)
                throw new ArgumentException($"{option}: {file.Path} line {row.Line}: input: token id {id} is outside the vocabulary [0, {InputTokens})");
        }
    }

    public JsonObject Summary() => TaskJson.Summary(this);

    /// <summary>The generic entries and the class names in order (JSON), so a runtime can name its answers.</summary>
    public IEnumerable<(string Key, string Value)> Metadata() =>
        [.. TaskJson.Metadata(this), ("classes", JsonSerializer.Serialize(Names))];
}
