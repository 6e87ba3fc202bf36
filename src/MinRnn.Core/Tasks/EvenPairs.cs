namespace MinRnn.Tasks;

/// <summary>Even pairs (Delétang et al. 2023, regular): a uniform string over {a, b}, then a query; the answer is
/// "even" when the number of "ab" plus "ba" substrings is even, which holds exactly when the first symbol equals
/// the last.</summary>
/// <param name="SeqLen">T: training strings have length 1 … T, the evaluation set T.</param>
public sealed record EvenPairs(int SeqLen = 32) : FormalLanguageTask(SeqLen)
{
    public const int A = 0, B = 1;

    public override string Name => "even-pairs";

    public override TaskVocabulary Vocabulary => new(["a", "b", "query", "even", "odd"],
        new Dictionary<string, int> { ["query"] = 2, ["even"] = 3, ["odd"] = 4 });

    protected override void Draw(TaskRandom random, Span<int> s)
    {
        for (var i = 0; i < s.Length; i++) s[i] = random.Next(2);
    }

    protected override void Answer(TaskRows rows, int row, ReadOnlySpan<int> s) =>
        rows.Answer(row, 0, s.Length, Vocabulary[s[0] == s[^1] ? "even" : "odd"]);
}
