using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MinRnn.Tasks;

/// <summary>Multi-query associative recall (MQAR; Arora et al. 2023, "Zoology", arXiv 2312.04927): N key–value
/// pairs (distinct keys k0 … k{Keys−1}, values v0 … v{Values−1}) at the start, filler, then Q distinct queried keys
/// on the last Q steps; the answer at each query step is that key's value. Ground truth: the positions of the
/// value and of its key. Every row has length T; both splits use T.</summary>
/// <param name="SeqLen">T, the whole input length (≥ 2N + Q).</param>
/// <param name="Pairs">N key–value pairs.</param>
/// <param name="Queries">Q queries (≤ N: each pair is queried at most once).</param>
/// <param name="Keys">Key symbols (≥ N).</param>
/// <param name="Values">Value symbols (≥ 2).</param>
public sealed record AssociativeRecall(int SeqLen = 64, int Pairs = 8, int Queries = 4, int Keys = 16, int Values = 16) : ISequenceTask
{
    [JsonIgnore] public string Name => "associative-recall";

    [JsonIgnore] public TaskVocabulary Vocabulary => new(
        [.. Enumerable.Range(0, Keys).Select(k => $"k{k}"), .. Enumerable.Range(0, Values).Select(v => $"v{v}"), "filler"],
        new Dictionary<string, int> { ["filler"] = Keys + Values });

    [JsonIgnore] public int? Filler => Keys + Values;

    [JsonIgnore] public bool HasRelevance => true;

    [JsonIgnore] public string EvalLabel => $"T{SeqLen}";

    public void Validate()
    {
        if (Pairs < 1) throw new ArgumentException($"pairs: must be ≥ 1 (got {Pairs})");
        if (Queries < 1 || Queries > Pairs) throw new ArgumentException($"queries: must be in 1 … pairs ({Pairs}) (got {Queries})");
        if (Keys < Pairs) throw new ArgumentException($"keys: must be ≥ pairs ({Pairs}) so keys are distinct (got {Keys})");
        if (Values < 2) throw new ArgumentException($"values: must be ≥ 2 (got {Values})");
        if (SeqLen < 2 * Pairs + Queries)
            throw new ArgumentException($"seq_len: {SeqLen} is too short for {Pairs} pairs and {Queries} queries (needs ≥ {2 * Pairs + Queries})");
    }

    public ISequenceTask WithSeqLen(int seqLen) => (this with { SeqLen = seqLen }).Validated();

    public TaskBatch Sample(int batch, long seed, TaskSplit split)
    {
        Validate();
        var random = new TaskRandom(seed);
        var rows = new TaskRows(batch, SeqLen, Queries, relevance: true);
        var input = new int[SeqLen];
        for (var b = 0; b < batch; b++)
        {
            Array.Fill(input, Keys + Values);
            var keys = random.Distinct(Keys, Pairs);
            var values = new int[Pairs];
            for (var p = 0; p < Pairs; p++)
            {
                values[p] = random.Next(Values);
                (input[2 * p], input[2 * p + 1]) = (keys[p], Keys + values[p]);
            }
            var asked = random.Distinct(Pairs, Queries);
            var first = SeqLen - Queries;
            for (var q = 0; q < Queries; q++) input[first + q] = keys[asked[q]];
            rows.Input(b, input);
            for (var q = 0; q < Queries; q++)
                rows.Answer(b, q, first + q, Keys + values[asked[q]], 2 * asked[q], 2 * asked[q] + 1);
        }
        return rows.ToBatch();
    }

    public JsonObject Summary() => TaskJson.Summary(this);

    public IEnumerable<(string Key, string Value)> Metadata() => TaskJson.Metadata(this);
}
