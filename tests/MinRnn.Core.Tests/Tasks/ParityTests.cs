using MinRnn.Tasks;
using static MinRnn.Tests.Tasks.TaskTesting;

namespace MinRnn.Tests.Tasks;

public class ParityTests
{
    private static readonly Parity Task = new(SeqLen: 12);

    [Fact]
    public void EveryRowAnswersWhetherTheCountOfOnesIsOdd()
    {
        Assert.Equal(["0", "1", "query"], Task.Vocabulary.Tokens);
        foreach (var (seed, split) in Draws())
            foreach (var row in Sample(Task, 64, seed, split))
            {
                var s = StringOf(row, answers: 1, query: 2, symbols: 2);
                if (split == TaskSplit.Evaluation) Assert.Equal(12, s.Length);
                var ones = s.Count(x => x == 1);
                Assert.Equal(ones % 2 == 1 ? 1 : 0, row.Target[s.Length]);   // token "1" = odd
            }
    }

    [Fact]
    public void TrainingLengthsAreUniformOverOneToT()
    {
        // 8 lengths, 2400 one-row batches: 300 expected per length.
        var counts = TrainLengthCounts(new Parity(SeqLen: 8), 2400, answersPerLength: 1, bin: n => n - 1, bins: 8);
        AssertUniform(counts, "length");
    }

    [Fact]
    public void AnswersAreOddHalfTheTime()
    {
        var rows = Sample(Task, 4000, Seeds.Evaluation(5), TaskSplit.Evaluation);
        AssertHalf(rows.Count(r => r.Target[^1] == 1), rows.Count, "odd answers");
    }
}
