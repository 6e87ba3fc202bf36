using MinRnn.Tasks;
using static MinRnn.Tests.Tasks.TaskTesting;

namespace MinRnn.Tests.Tasks;

public class EvenPairsTests
{
    private static readonly EvenPairs Task = new(SeqLen: 12);

    /// <summary>The definition, literally: the number of "ab" plus "ba" substrings.</summary>
    private static int Pairs(int[] s)
    {
        var pairs = 0;
        for (var i = 0; i + 1 < s.Length; i++)
            if ((s[i], s[i + 1]) is (0, 1) or (1, 0)) pairs++;
        return pairs;
    }

    [Fact]
    public void EveryRowAnswersWhetherTheCountOfAbAndBaIsEven()
    {
        Assert.Equal(["a", "b", "query", "even", "odd"], Task.Vocabulary.Tokens);
        foreach (var (seed, split) in Draws())
            foreach (var row in Sample(Task, 64, seed, split))
            {
                var s = StringOf(row, answers: 1, query: 2, symbols: 2);
                if (split == TaskSplit.Evaluation) Assert.Equal(12, s.Length);
                Assert.Equal(Pairs(s) % 2 == 0 ? 3 : 4, row.Target[s.Length]);
            }
    }

    [Fact]
    public void TrainingLengthsAreUniformOverOneToT()
    {
        var counts = TrainLengthCounts(new EvenPairs(SeqLen: 8), 2400, answersPerLength: 1, bin: n => n - 1, bins: 8);
        AssertUniform(counts, "length");
    }

    [Fact]
    public void AnswersAreEvenHalfTheTimeFromLengthTwo()
    {
        // n ≥ 2: the answer is even exactly when s[0] = s[n−1], two independent fair bits.
        foreach (var t in new[] { 2, 16 })
        {
            var rows = Sample(new EvenPairs(SeqLen: t), 4000, Seeds.Evaluation(6), TaskSplit.Evaluation);
            AssertHalf(rows.Count(r => r.Target[^1] == 3), rows.Count, $"even answers at n = {t}");
        }
    }
}
