using MinRnn.Tasks;
using static MinRnn.Tests.Tasks.TaskTesting;

namespace MinRnn.Tests.Tasks;

public class CycleNavigationTests
{
    private static readonly CycleNavigation Task = new(SeqLen: 12);

    [Fact]
    public void EveryRowAnswersTheEndOfTheWalk()
    {
        Assert.Equal(9, Task.Vocabulary.Size);
        foreach (var (seed, split) in Draws())
            foreach (var row in Sample(Task, 64, seed, split))
            {
                var s = StringOf(row, answers: 1, query: 3, symbols: 3);
                if (split == TaskSplit.Evaluation) Assert.Equal(12, s.Length);
                var position = 0;
                foreach (var token in s)
                    position = token switch { 0 => position - 1, 1 => position, 2 => position + 1, _ => throw new InvalidDataException() };
                position = ((position % 5) + 5) % 5;
                Assert.Equal(4 + position, row.Target[s.Length]);
                Assert.Equal($"p{position}", Task.Vocabulary.Tokens[(int)row.Target[s.Length]]);
            }
    }

    [Fact]
    public void TrainingLengthsAreUniformOverOneToT()
    {
        var counts = TrainLengthCounts(new CycleNavigation(SeqLen: 8), 2400, answersPerLength: 1, bin: n => n - 1, bins: 8);
        AssertUniform(counts, "length");
    }

    [Fact]
    public void MovesAreUniform()
    {
        var counts = new long[3];
        foreach (var row in Sample(new CycleNavigation(SeqLen: 30), 400, Seeds.Evaluation(7), TaskSplit.Evaluation))
            foreach (var move in row.Input[..30]) counts[move]++;
        AssertUniform(counts, "moves −1/0/+1");
    }
}
