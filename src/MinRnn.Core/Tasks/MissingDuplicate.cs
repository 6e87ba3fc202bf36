namespace MinRnn.Tasks;

/// <summary>Missing duplicate (the official minRNN suite): a string w w with |w| = n/2 uniform over A symbols, one
/// token of the second copy replaced by a blank, then a query; the answer is the blanked token. Ground truth: the
/// position of the same token in the first copy.</summary>
/// <param name="SeqLen">T (even): training strings have the even lengths 2 … T, the evaluation set T.</param>
/// <param name="Alphabet">A ≥ 2 symbols.</param>
public sealed record MissingDuplicate(int SeqLen = 32, int Alphabet = 4) : FormalLanguageTask(SeqLen)
{
    public override string Name => "missing-duplicate";

    public override TaskVocabulary Vocabulary => TaskVocabulary.Numbered("s", Alphabet, "blank", "query");

    public override int? Filler => Vocabulary["blank"];

    public override bool HasRelevance => true;

    protected override int MinLength => 2;

    protected override bool Allowed(int n) => n % 2 == 0;

    public override void Validate()
    {
        if (Alphabet < 2) throw new ArgumentException($"alphabet: {Name} needs ≥ 2 symbols (got {Alphabet})");
        base.Validate();
    }

    protected override void Draw(TaskRandom random, Span<int> s)
    {
        var half = s.Length / 2;
        for (var i = 0; i < half; i++) s[i] = s[half + i] = random.Next(Alphabet);
        s[half + random.Next(half)] = Alphabet;
    }

    protected override void Answer(TaskRows rows, int row, ReadOnlySpan<int> s)
    {
        var half = s.Length / 2;
        var missing = s[half..].IndexOf(Alphabet);
        rows.Answer(row, 0, s.Length, s[missing], missing);
    }
}
