using MinRnn.Tasks;
using static MinRnn.Tests.Tasks.TaskTesting;

namespace MinRnn.Tests.Tasks;

public class MajorityTests
{
    /// <summary>The most frequent symbol by a dictionary count, ties to the smallest id.</summary>
    public static (int Symbol, int Count) Reference(int[] s)
    {
        var counts = new Dictionary<int, int>();
        foreach (var x in s) counts[x] = counts.GetValueOrDefault(x) + 1;
        var top = counts.Values.Max();
        return (counts.Where(p => p.Value == top).Min(p => p.Key), top);
    }

    [Theory]
    [InlineData(12, 4)]
    [InlineData(6, 2)]       // short strings over two symbols: many ties
    public void EveryRowAnswersTheMostFrequentSymbol(int t, int alphabet)
    {
        var task = new Majority(SeqLen: t, Alphabet: alphabet);
        var ties = 0;
        foreach (var (seed, split) in Draws())
            foreach (var row in Sample(task, 64, seed, split))
            {
                var s = StringOf(row, answers: 1, query: alphabet, symbols: alphabet);
                if (split == TaskSplit.Evaluation) Assert.Equal(t, s.Length);
                var (symbol, count) = Reference(s);
                if (s.Count(x => x != symbol && s.Count(y => y == x) == count) > 0) ties++;
                Assert.Equal(symbol, row.Target[s.Length]);
            }
        Assert.True(ties > 0, "no tie was drawn, so the tie rule went untested");
    }

    [Fact]
    public void TrainingLengthsAreUniformOverOneToT()
    {
        var counts = TrainLengthCounts(new Majority(SeqLen: 8), 2400, answersPerLength: 1, bin: n => n - 1, bins: 8);
        AssertUniform(counts, "length");
    }
}
