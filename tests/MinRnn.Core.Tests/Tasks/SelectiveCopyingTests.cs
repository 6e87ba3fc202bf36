using MinRnn.Tasks;
using static TorchSharp.torch;

namespace MinRnn.Tests.Tasks;

public class SelectiveCopyingTests
{
    private static readonly SelectiveCopying Task = new(SeqLen: 30, Tokens: 5, Vocab: 10);

    [Fact]
    public void BatchHasTheLayoutOfTheTask()
    {
        using var b = Task.Sample(200, seed: 11);
        Assert.Equal(new long[] { 200, 35 }, b.Inputs.shape);
        Assert.Equal(new long[] { 200, 5 }, b.Targets.shape);
        Assert.Equal(new long[] { 200, 5 }, b.Positions.shape);
        var inputs = b.Inputs.data<long>().ToArray();
        var targets = b.Targets.data<long>().ToArray();
        var positions = b.Positions.data<long>().ToArray();
        for (var r = 0; r < 200; r++)
        {
            var row = inputs.AsSpan(r * 35, 35);
            var pos = positions.AsSpan(r * 5, 5);
            for (var k = 0; k < 5; k++)
            {
                Assert.InRange(pos[k], 0, 29);
                if (k > 0) Assert.True(pos[k] > pos[k - 1], "positions strictly increasing");
                Assert.InRange(targets[r * 5 + k], 1, 8);                // data tokens only
                Assert.Equal(targets[r * 5 + k], row[(int)pos[k]]);    // target k is the k-th data token
                Assert.Equal(0, row[30 + k]);                          // K markers at the end
            }
            var dataCount = 0;
            for (var t = 0; t < 30; t++)
                if (row[t] != 9) dataCount++;                           // everything else is noise
            Assert.Equal(5, dataCount);
        }
    }

    [Fact]
    public void SameSeedSameBatchOtherSeedOtherBatch()
    {
        using var a = Task.Sample(16, seed: 5);
        using var b = Task.Sample(16, seed: 5);
        using var c = Task.Sample(16, seed: 6);
        Assert.True(a.Inputs.equal(b.Inputs).all().item<bool>());
        Assert.False(a.Inputs.equal(c.Inputs).all().item<bool>());
    }

    [Fact]
    public void PositionsCoverTheWholeRange()
    {
        using var b = new SelectiveCopying(SeqLen: 8, Tokens: 1, Vocab: 3).Sample(4000, seed: 1);
        var counts = b.Positions.flatten().bincount(null, 8).data<long>().ToArray();
        Assert.All(counts, n => Assert.InRange(n, 400, 600));          // uniform: 500 expected per position
        Assert.True(b.Targets.eq(1).all().item<bool>());               // the only data token of vocab 3
    }

    [Fact]
    public void DerivedSeedsAreDistinctStreams()
    {
        var seeds = new HashSet<long> { Seeds.Evaluation(0), Seeds.Initialisation(0), Seeds.Evaluation(1) };
        for (var step = 1; step <= 1000; step++) { seeds.Add(Seeds.TrainBatch(0, step)); seeds.Add(Seeds.TrainBatch(1, step)); }
        Assert.Equal(2003, seeds.Count);
    }

    [Fact]
    public void ContractBatchHoldsTheRowsOfTheVersionOneSampler()
    {
        foreach (var (seed, split) in TaskTesting.Draws())
        {
            using var old = Task.Sample(64, seed);
            var rows = TaskTesting.Sample(Task, 64, seed, split);
            var (inputs, targets, positions) = (old.Inputs.data<long>().ToArray(), old.Targets.data<long>().ToArray(), old.Positions.data<long>().ToArray());
            for (var r = 0; r < 64; r++)
            {
                var row = rows[r];
                Assert.Equal(inputs[(r * 35)..((r + 1) * 35)], row.Input);
                Assert.All(row.Target[..30], y => Assert.Equal(TaskBatch.IgnoreIndex, y));   // answers on the last K steps only
                Assert.Equal(targets[(r * 5)..((r + 1) * 5)], row.Target[30..]);
                for (var k = 0; k < 5; k++)
                {
                    Assert.Equal(Task.Marker, row.Input[30 + k]);
                    Assert.Equal([(int)positions[r * 5 + k]], row.RelevantTo(k));
                }
            }
        }
    }

    [Theory]
    [InlineData(4, 5, 10)]
    [InlineData(10, 0, 10)]
    [InlineData(10, 2, 2)]
    public void InvalidSettingsAreRejected(int t, int k, int v) =>
        Assert.Throws<ArgumentException>(() => new SelectiveCopying(t, k, v).Sample(1, 0));
}
