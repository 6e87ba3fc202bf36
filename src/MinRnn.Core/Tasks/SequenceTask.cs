using System.Text.Json.Nodes;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Tasks;

/// <summary>Which stream a batch comes from: training batches (drawn by (seed, step); the formal-language tasks
/// draw one length per batch from 1 … T) or the fixed evaluation set (always at length T).</summary>
public enum TaskSplit { Train, Evaluation }

/// <summary>A batch of a task. Inputs (B, L) int64 token ids, or (B, L, F) float32 for a task of numeric steps
/// (ISequenceTask.InputFeatures = F). Targets (B, L) int64: the answer token at every scored output
/// position and <see cref="IgnoreIndex"/> elsewhere, so "answer at the end", "answer at every position" and
/// "answer after a marker" are one mechanism. Relevance (B, A, L) bool, where the task defines one: for the a-th
/// scored position of row b (in time order), the input positions that answer depends on (docs/TASKS.md).</summary>
public sealed record TaskBatch(Tensor Inputs, Tensor Targets, Tensor? Relevance) : IDisposable
{
    /// <summary>Target id of an unscored position (PyTorch's cross-entropy default).</summary>
    public const long IgnoreIndex = -100;

    /// <summary>The scored positions as (B, L) bool.</summary>
    public Tensor Scored => Targets.ne(IgnoreIndex);

    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        Relevance?.Dispose();
    }
}

/// <summary>A task's tokens: every token's display name (index = id) and the ids of its named special tokens.</summary>
public sealed record TaskVocabulary(IReadOnlyList<string> Tokens, IReadOnlyDictionary<string, int> Special)
{
    public int Size => Tokens.Count;

    /// <summary>The id of a special token; an ArgumentException naming it when the task has none.</summary>
    public int this[string special] => Special.TryGetValue(special, out var id) ? id
        : throw new ArgumentException($"task vocabulary has no special token '{special}'");

    /// <summary>Tokens named by their id ("0", "1", …) followed by named specials.</summary>
    public static TaskVocabulary Numbered(int symbols, params string[] specials) => Numbered("", symbols, specials);

    /// <summary>Tokens named prefix + id, then named specials.</summary>
    public static TaskVocabulary Numbered(string prefix, int symbols, params string[] specials) => new(
        [.. Enumerable.Range(0, symbols).Select(i => prefix + i), .. specials],
        specials.Select((s, i) => (s, i)).ToDictionary(p => p.s, p => symbols + p.i));
}

/// <summary>The contract every task implements (docs/TASKS.md). A task is an immutable record of its options (the
/// JSON of a run's "task" block, snake_case), registered once in <see cref="TaskRegistry"/>.</summary>
public interface ISequenceTask
{
    /// <summary>The registry name (`minrnn train --task NAME`).</summary>
    string Name { get; }

    /// <summary>T, the task's length option (what `eval --seq-len` changes).</summary>
    int SeqLen { get; }

    TaskVocabulary Vocabulary { get; }

    /// <summary>The token that carries no information (noise, blank), used as the attribution baseline and the
    /// occlusion token by `explain`; null when the task has none.</summary>
    int? Filler { get; }

    /// <summary>True when the task defines a ground-truth relevance mask (batches carry Relevance).</summary>
    bool HasRelevance { get; }

    /// <summary>Throws ArgumentException whose message starts with the invalid option's name.</summary>
    void Validate();

    /// <summary>The same task at another length T' (length generalisation); ArgumentException when the task's
    /// length is fixed or T' is impossible for it.</summary>
    ISequenceTask WithSeqLen(int seqLen);

    /// <summary>A batch from a seeded generator, on the CPU; the same (seed, split) gives the same batch everywhere.</summary>
    TaskBatch Sample(int batch, long seed, TaskSplit split);

    /// <summary>The task block of summary.json and eval files.</summary>
    JsonObject Summary();

    /// <summary>Task entries of an exported ONNX file's metadata_props.</summary>
    IEnumerable<(string Key, string Value)> Metadata();

    /// <summary>What distinguishes the evaluation file of this setting: DIR/eval-{label}.json.</summary>
    string EvalLabel { get; }

    // Capabilities: what a task adds to the generic training, evaluation and explanation. The defaults are a generated
    // task's; a task overrides those it has (docs/TASKS.md, "The contract").

    /// <summary>The task's own scalar metrics beyond loss, accuracy and sequence_accuracy, with the end that is better
    /// (metrics.jsonl and eval files carry them as NAME, summary.json as test_NAME; `compare` ranks by the direction).</summary>
    IReadOnlyList<TaskMetric> Metrics => [];

    /// <summary>The values of an evaluation for <see cref="Metrics"/> (numbers) and any further figures (e.g. a confusion
    /// matrix as an array of rows), keyed by their JSON names.</summary>
    JsonObject Measure(Evaluation evaluation) => [];

    /// <summary>The token ids that are classes (a confusion matrix is counted over them), or null.</summary>
    ClassTokens? Classes => null;

    /// <summary>The task's own options as `minrnn train --help` lists them after its name (lines after the first continue
    /// it); null when it has none beyond --seq-len and --task-opt.</summary>
    string? UsageOptions => null;

    /// <summary>Named run settings of this task besides quick (`--preset NAME`).</summary>
    IReadOnlyList<TaskPreset> Presets => [];

    /// <summary>explain's words for a task whose relevant positions have named roles; null: the generic wording, read
    /// from the relevance mask.</summary>
    TaskExplanation? Explanation => null;

    /// <summary>F when the task's inputs are numeric steps: batches carry Inputs (B, L, F) float32 and the model reads them
    /// through its input projection (ModelConfig.Features); null for token ids.</summary>
    int? InputFeatures => null;

    /// <summary>For numeric steps, the first `samples` evaluation rows `explain` attributes over steps × features; null for a
    /// task of token ids.</summary>
    StepRows? ExplainRows(int samples) => null;

    /// <summary>For numeric steps, the per-feature standardisation the model applies to its input (mean, std; length F),
    /// learned from the task's training rows; set into a new model before training.</summary>
    (float[] Mean, float[] Std)? InputStandardisation => null;

    /// <summary>The loss the trainer minimises and evaluation reports (Evaluator.Loss): cross-entropy over the scored
    /// positions by default; a regression task's batches carry float targets (B, H) compared with the model's H outputs at
    /// the last step.</summary>
    TaskLoss Objective => TaskLoss.CrossEntropy;
}

/// <summary>How a task's outputs are scored: CrossEntropy over the scored positions of (B, L) int64 targets (accuracy and
/// sequence accuracy follow), or, for (B, H) float targets against the model's H outputs at its last step, SquaredError
/// (MSE) or AbsoluteError (MAE), each the mean over the B × H values.</summary>
public enum TaskLoss { CrossEntropy, SquaredError, AbsoluteError }

/// <summary>A scalar metric of a task and the end of it that is better.</summary>
public sealed record TaskMetric(string Name, MetricDirection Direction);

public enum MetricDirection { HigherIsBetter, LowerIsBetter }

/// <summary>Classes as a contiguous range of token ids: class c is token First + c.</summary>
public sealed record ClassTokens(int First, int Count);

/// <summary>A named run setting (`--preset NAME`) of a task: Build(cell) gives the whole configuration; Description
/// finishes "NAME is …" in the error when another task asks for it.</summary>
public sealed record TaskPreset(string Name, string Description, Func<string, RunConfig> Build);

public static class SequenceTaskExtensions
{
    /// <summary>The task after Validate() (for WithSeqLen and other option changes).</summary>
    public static T Validated<T>(this T task) where T : ISequenceTask
    {
        task.Validate();
        return task;
    }
}
