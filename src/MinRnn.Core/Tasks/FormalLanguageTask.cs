using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MinRnn.Tasks;

/// <summary>The shape shared by the formal-language tasks (after Delétang et al. 2023, "Neural Networks and the
/// Chomsky Hierarchy", arXiv 2207.02098): a string of length n, then one query token; the answer is read at the
/// query step (bucket sort: n answers on n query steps). Training batches draw n uniformly from the allowed lengths
/// in 1 … T, one length per batch; the evaluation set uses n = T (docs/TASKS.md).</summary>
public abstract record FormalLanguageTask(int SeqLen) : ISequenceTask
{
    [JsonIgnore] public abstract string Name { get; }

    [JsonIgnore] public abstract TaskVocabulary Vocabulary { get; }

    [JsonIgnore] public int Query => Vocabulary["query"];

    [JsonIgnore] public virtual int? Filler => null;

    [JsonIgnore] public virtual bool HasRelevance => false;

    [JsonIgnore] public string EvalLabel => $"T{SeqLen}";

    /// <summary>Answers per row: one, unless the task answers at every query step.</summary>
    protected virtual int Answers(int n) => 1;

    /// <summary>The smallest string length the task is defined for.</summary>
    protected virtual int MinLength => 1;

    /// <summary>False for lengths the task does not allow (e.g. odd lengths of w w).</summary>
    protected virtual bool Allowed(int n) => true;

    /// <summary>Writes a random string of length n into `s` and returns nothing; the task's own distribution.</summary>
    protected abstract void Draw(TaskRandom random, Span<int> s);

    /// <summary>Records the answers of string s (input row already written; queries start at step n).</summary>
    protected abstract void Answer(TaskRows rows, int row, ReadOnlySpan<int> s);

    public virtual void Validate()
    {
        if (SeqLen < MinLength || !Allowed(SeqLen))
            throw new ArgumentException($"seq_len: {Name} needs a length ≥ {MinLength}{(Allowed(MinLength + 1) ? "" : " and even")} (got {SeqLen})");
    }

    public ISequenceTask WithSeqLen(int seqLen) => (this with { SeqLen = seqLen }).Validated();

    public TaskBatch Sample(int batch, long seed, TaskSplit split)
    {
        Validate();
        var random = new TaskRandom(seed);
        var lengths = Enumerable.Range(MinLength, SeqLen - MinLength + 1).Where(Allowed).ToArray();
        var n = split == TaskSplit.Train ? lengths[random.Next(lengths.Length)] : SeqLen;
        var answers = Answers(n);
        var rows = new TaskRows(batch, n + answers, answers, HasRelevance);
        var s = new int[n];
        var input = new int[n + answers];
        for (var b = 0; b < batch; b++)
        {
            Draw(random, s);
            s.CopyTo(input, 0);
            Array.Fill(input, Query, n, answers);
            rows.Input(b, input);
            Answer(rows, b, s);
        }
        return rows.ToBatch();
    }

    public virtual JsonObject Summary() => TaskJson.Summary(this);

    public IEnumerable<(string Key, string Value)> Metadata() => TaskJson.Metadata(this);
}
