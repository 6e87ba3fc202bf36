namespace MinRnn.Tasks;

/// <summary>Bucket sort (Delétang et al. 2023, context-sensitive): a uniform string of n tokens over A symbols, then
/// n query steps; the answer at query step k is the k-th token of the sorted string.</summary>
/// <param name="SeqLen">T: training strings have length 1 … T, the evaluation set T.</param>
/// <param name="Alphabet">A ≥ 2 symbols.</param>
public sealed record BucketSort(int SeqLen = 16, int Alphabet = 4) : FormalLanguageTask(SeqLen)
{
    public override string Name => "bucket-sort";

    public override TaskVocabulary Vocabulary => TaskVocabulary.Numbered("s", Alphabet, "query");

    protected override int Answers(int n) => n;

    public override void Validate()
    {
        if (Alphabet < 2) throw new ArgumentException($"alphabet: {Name} needs ≥ 2 symbols (got {Alphabet})");
        base.Validate();
    }

    protected override void Draw(TaskRandom random, Span<int> s)
    {
        for (var i = 0; i < s.Length; i++) s[i] = random.Next(Alphabet);
    }

    protected override void Answer(TaskRows rows, int row, ReadOnlySpan<int> s)
    {
        var sorted = s.ToArray();
        Array.Sort(sorted);
        for (var k = 0; k < sorted.Length; k++) rows.Answer(row, k, s.Length + k, sorted[k]);
    }
}
