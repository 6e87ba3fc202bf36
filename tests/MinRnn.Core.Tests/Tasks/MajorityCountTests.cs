using MinRnn.Tasks;
using static MinRnn.Tests.Tasks.TaskTesting;

namespace MinRnn.Tests.Tasks;

public class MajorityCountTests
{
    [Theory]
    [InlineData(12, 4, 12)]   // max count = T: the largest count has a token
    [InlineData(6, 2, 20)]
    public void EveryRowAnswersTheCountOfTheMostFrequentSymbol(int t, int alphabet, int maxCount)
    {
        var task = new MajorityCount(SeqLen: t, Alphabet: alphabet, MaxCount: maxCount);
        Assert.Equal(alphabet + 1 + maxCount + 1, task.Vocabulary.Size);
        foreach (var (seed, split) in Draws())
            foreach (var row in Sample(task, 64, seed, split))
            {
                var s = StringOf(row, answers: 1, query: alphabet, symbols: alphabet);
                if (split == TaskSplit.Evaluation) Assert.Equal(t, s.Length);
                var count = MajorityTests.Reference(s).Count;
                Assert.Equal(alphabet + 1 + count, row.Target[s.Length]);
                Assert.Equal($"c{count}", task.Vocabulary.Tokens[(int)row.Target[s.Length]]);
            }
    }

    [Fact]
    public void TrainingLengthsAreUniformOverOneToT()
    {
        var counts = TrainLengthCounts(new MajorityCount(SeqLen: 8), 2400, answersPerLength: 1, bin: n => n - 1, bins: 8);
        AssertUniform(counts, "length");
    }
}
