namespace MinRnn.Tasks;

/// <summary>Majority count (the official minRNN suite): the input of <see cref="Majority"/>; the answer is the count
/// of its most frequent symbol, as one of the tokens c0 … c{MaxCount}.</summary>
/// <param name="SeqLen">T: training strings have length 1 … T, the evaluation set T.</param>
/// <param name="Alphabet">A ≥ 2 symbols.</param>
/// <param name="MaxCount">The largest count with a token: the longest string the task can be evaluated on
/// (default 128 = 4 × the quick T).</param>
public sealed record MajorityCount(int SeqLen = 32, int Alphabet = 4, int MaxCount = 128) : FormalLanguageTask(SeqLen)
{
    public override string Name => "majority-count";

    public override TaskVocabulary Vocabulary => new(
        [.. Enumerable.Range(0, Alphabet).Select(i => $"s{i}"), "query", .. Enumerable.Range(0, MaxCount + 1).Select(c => $"c{c}")],
        new Dictionary<string, int> { ["query"] = Alphabet });

    public override void Validate()
    {
        if (Alphabet < 2) throw new ArgumentException($"alphabet: {Name} needs ≥ 2 symbols (got {Alphabet})");
        if (MaxCount < SeqLen) throw new ArgumentException($"max_count: must be ≥ seq_len ({SeqLen}) so every count has a token (got {MaxCount})");
        base.Validate();
    }

    protected override void Draw(TaskRandom random, Span<int> s)
    {
        for (var i = 0; i < s.Length; i++) s[i] = random.Next(Alphabet);
    }

    protected override void Answer(TaskRows rows, int row, ReadOnlySpan<int> s) =>
        rows.Answer(row, 0, s.Length, Alphabet + 1 + Majority.MostFrequent(s, Alphabet).Count);
}
