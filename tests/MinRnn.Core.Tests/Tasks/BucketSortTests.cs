using MinRnn.Tasks;
using static MinRnn.Tests.Tasks.TaskTesting;

namespace MinRnn.Tests.Tasks;

public class BucketSortTests
{
    [Fact]
    public void TheLastNStepsAnswerTheSortedString()
    {
        var task = new BucketSort(SeqLen: 10, Alphabet: 5);
        foreach (var (seed, split) in Draws())
            foreach (var row in Sample(task, 64, seed, split))
            {
                Assert.True(row.Length % 2 == 0);
                var n = row.Length / 2;
                var s = StringOf(row, answers: n, query: 5, symbols: 5);
                if (split == TaskSplit.Evaluation) Assert.Equal(10, n);
                var sorted = s.OrderBy(x => x).Select(x => (long)x).ToArray();
                Assert.Equal(sorted, row.Target[n..]);
            }
    }

    [Fact]
    public void TrainingLengthsAreUniformOverOneToT()
    {
        var counts = new long[8];
        var task = new BucketSort(SeqLen: 8);
        for (var step = 1; step <= 2400; step++)
        {
            using var b = task.Sample(1, Seeds.TrainBatch(3, step), TaskSplit.Train);
            counts[b.Inputs.shape[1] / 2 - 1]++;    // n string steps + n query steps
        }
        AssertUniform(counts, "length");
    }
}
