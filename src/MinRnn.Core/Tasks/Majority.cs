namespace MinRnn.Tasks;

/// <summary>Majority (the official minRNN suite, after Delétang et al. 2023): a uniform string over an alphabet
/// of A symbols, then a query; the answer is the most frequent symbol (ties: the smallest id).</summary>
/// <param name="SeqLen">T: training strings have length 1 … T, the evaluation set T.</param>
/// <param name="Alphabet">A ≥ 2 symbols.</param>
public sealed record Majority(int SeqLen = 32, int Alphabet = 4) : FormalLanguageTask(SeqLen)
{
    public override string Name => "majority";

    public override TaskVocabulary Vocabulary => TaskVocabulary.Numbered("s", Alphabet, "query");

    public override void Validate()
    {
        if (Alphabet < 2) throw new ArgumentException($"alphabet: {Name} needs ≥ 2 symbols (got {Alphabet})");
        base.Validate();
    }

    protected override void Draw(TaskRandom random, Span<int> s)
    {
        for (var i = 0; i < s.Length; i++) s[i] = random.Next(Alphabet);
    }

    protected override void Answer(TaskRows rows, int row, ReadOnlySpan<int> s) =>
        rows.Answer(row, 0, s.Length, MostFrequent(s, Alphabet).Symbol);

    /// <summary>The most frequent symbol (smallest on ties) and its count.</summary>
    public static (int Symbol, int Count) MostFrequent(ReadOnlySpan<int> s, int alphabet)
    {
        Span<int> counts = stackalloc int[alphabet];
        foreach (var x in s) counts[x]++;
        var best = 0;
        for (var a = 1; a < alphabet; a++)
            if (counts[a] > counts[best]) best = a;
        return (best, counts[best]);
    }
}
