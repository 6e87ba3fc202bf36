namespace MinRnn.Tasks;

/// <summary>Parity check (Delétang et al. 2023, regular): a uniform binary string, then a query; the answer is
/// "1" when the number of ones is odd. Needs a state that flips, which a linear recurrence with positive gates
/// cannot hold in finite precision (Grazzi et al. 2024, arXiv 2411.12537).</summary>
/// <param name="SeqLen">T: training strings have length 1 … T, the evaluation set T.</param>
public sealed record Parity(int SeqLen = 32) : FormalLanguageTask(SeqLen)
{
    public override string Name => "parity";

    public override TaskVocabulary Vocabulary => TaskVocabulary.Numbered(2, "query");

    protected override void Draw(TaskRandom random, Span<int> s)
    {
        for (var i = 0; i < s.Length; i++) s[i] = random.Next(2);
    }

    protected override void Answer(TaskRows rows, int row, ReadOnlySpan<int> s)
    {
        var ones = 0;
        foreach (var x in s) ones += x;
        rows.Answer(row, 0, s.Length, ones % 2);
    }
}
