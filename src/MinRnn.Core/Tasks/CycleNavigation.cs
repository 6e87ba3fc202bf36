namespace MinRnn.Tasks;

/// <summary>Cycle navigation (Delétang et al. 2023, regular): moves from {−1, 0, +1}, uniform, on a cycle of 5
/// positions starting at 0, then a query; the answer is the final position p0 … p4.</summary>
/// <param name="SeqLen">T: training strings have length 1 … T, the evaluation set T.</param>
public sealed record CycleNavigation(int SeqLen = 32) : FormalLanguageTask(SeqLen)
{
    public const int Positions = 5;

    public override string Name => "cycle-navigation";

    /// <summary>Moves −1, 0, +1 are tokens 0, 1, 2; then the query; then positions p0 … p4.</summary>
    public override TaskVocabulary Vocabulary => new(
        ["-1", "0", "+1", "query", .. Enumerable.Range(0, Positions).Select(p => $"p{p}")],
        new Dictionary<string, int> { ["query"] = 3 });

    protected override void Draw(TaskRandom random, Span<int> s)
    {
        for (var i = 0; i < s.Length; i++) s[i] = random.Next(3);
    }

    protected override void Answer(TaskRows rows, int row, ReadOnlySpan<int> s)
    {
        var position = 0;
        foreach (var move in s) position = (position + move - 1 + Positions) % Positions;
        rows.Answer(row, 0, s.Length, 4 + position);
    }
}
