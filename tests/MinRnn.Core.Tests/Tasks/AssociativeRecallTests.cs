using MinRnn.Tasks;
using static MinRnn.Tests.Tasks.TaskTesting;

namespace MinRnn.Tests.Tasks;

public class AssociativeRecallTests
{
    [Theory]
    [InlineData(24, 6, 3, 8, 5)]
    [InlineData(8, 3, 2, 3, 2)]     // T = 2N + Q exactly, keys = pairs: every key used
    public void EveryQueryAnswersTheValueStoredWithItsKey(int t, int pairs, int queries, int keys, int values)
    {
        var task = new AssociativeRecall(SeqLen: t, Pairs: pairs, Queries: queries, Keys: keys, Values: values);
        var filler = keys + values;
        Assert.Equal(filler + 1, task.Vocabulary.Size);
        foreach (var (seed, split) in Draws())
            foreach (var row in Sample(task, 64, seed, split))
            {
                Assert.Equal(t, row.Length);
                // pairs region: key, value, key, value, …; then filler; then the queried keys
                var storedKeys = new List<long>();
                for (var p = 0; p < pairs; p++)
                {
                    Assert.InRange(row.Input[2 * p], 0, keys - 1);
                    Assert.InRange(row.Input[2 * p + 1], keys, keys + values - 1);
                    storedKeys.Add(row.Input[2 * p]);
                }
                Assert.Equal(pairs, storedKeys.Distinct().Count());
                Assert.All(row.Input[(2 * pairs)..(t - queries)], x => Assert.Equal(filler, x));
                var queried = row.Input[(t - queries)..];
                Assert.Equal(queries, queried.Distinct().Count());
                Assert.Equal(Enumerable.Range(t - queries, queries), row.ScoredSteps);

                for (var q = 0; q < queries; q++)
                {
                    var step = t - queries + q;
                    var key = row.Input[step];
                    var at = -1;
                    for (var i = 0; i < 2 * pairs; i += 2)      // scan the pairs region for the key
                        if (row.Input[i] == key) at = i;
                    Assert.True(at >= 0, $"queried key {key} is not stored");
                    Assert.Equal(row.Input[at + 1], row.Target[step]);
                    Assert.Equal([at, at + 1], row.RelevantTo(q));
                }
            }
    }

    [Fact]
    public void QueriedPairIsUniform()
    {
        // Counts over all queries: queries of one row are distinct (drawn without replacement), which makes each
        // count vary less than a multinomial's, so the χ² test is conservative.
        var (pairs, queries) = (8, 2);
        var task = new AssociativeRecall(SeqLen: 24, Pairs: pairs, Queries: queries, Keys: 16, Values: 4);
        var counts = new long[pairs];
        foreach (var row in Sample(task, 2000, Seeds.Evaluation(9), TaskSplit.Evaluation))
            foreach (var key in row.Input[^queries..])
                counts[Array.IndexOf(row.Input, key) / 2]++;
        AssertUniform(counts, "queried pair");
    }
}
