using MinRnn.Tasks;
using static MinRnn.Tests.Tasks.TaskTesting;

namespace MinRnn.Tests.Tasks;

public class MissingDuplicateTests
{
    private const int Alphabet = 4, Blank = 4, Query = 5;

    [Fact]
    public void EveryRowIsWWWithOneBlankAndAnswersTheBlankedToken()
    {
        var task = new MissingDuplicate(SeqLen: 12, Alphabet: Alphabet);
        Assert.Equal(Blank, task.Vocabulary["blank"]);
        Assert.Equal(Query, task.Vocabulary["query"]);
        Assert.Equal(Blank, task.Filler);
        foreach (var (seed, split) in Draws())
            foreach (var row in Sample(task, 64, seed, split))
            {
                var s = StringOf(row, answers: 1, query: Query, symbols: Alphabet + 1);
                var half = s.Length / 2;
                Assert.True(s.Length % 2 == 0, $"odd length {s.Length}");
                if (split == TaskSplit.Evaluation) Assert.Equal(12, s.Length);
                Assert.DoesNotContain(Blank, s[..half]);
                var blanks = Enumerable.Range(half, half).Where(t => s[t] == Blank).ToArray();
                var blank = Assert.Single(blanks);
                for (var i = 0; i < half; i++)
                    if (half + i != blank) Assert.Equal(s[i], s[half + i]);
                Assert.Equal(s[blank - half], row.Target[s.Length]);
                Assert.Equal([blank - half], row.RelevantTo(0));
            }
    }

    [Fact]
    public void TrainingLengthsAreUniformOverTheEvenLengths()
    {
        // T = 16: the lengths 2, 4, …, 16.
        var counts = TrainLengthCounts(new MissingDuplicate(SeqLen: 16), 2400, answersPerLength: 1, bin: n => n / 2 - 1, bins: 8);
        AssertUniform(counts, "length");
    }

    [Fact]
    public void BlankIsUniformOverTheSecondHalf()
    {
        var counts = new long[8];
        foreach (var row in Sample(new MissingDuplicate(SeqLen: 16), 4000, Seeds.Evaluation(8), TaskSplit.Evaluation))
            counts[Array.IndexOf(row.Input, (long)Blank) - 8]++;
        AssertUniform(counts, "blank offset");
    }
}
