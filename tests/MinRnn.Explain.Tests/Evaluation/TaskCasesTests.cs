using MinRnn.Explain.Attribution;
using MinRnn.Explain.Evaluation;
using MinRnn.Explain.Scoring;
using MinRnn.Tasks;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests.Evaluation;

public class TaskCasesTests
{
    [Fact]
    public void GroundTruthIsThePositionOfTheKthDataToken()
    {
        using var model = Tiny.Model("mingru", float32);
        using var batch = Tiny.Batch(3);
        using var data = Tiny.Task.Sample(3, 5, TaskSplit.Evaluation);        // the same rows as the contract's batch
        var cases = TaskCases.Of(model, Tiny.Task, data);
        Assert.Equal(Tiny.Task.Noise, cases.Filler);
        Assert.Equal(batch.Targets.data<long>().ToArray(), cases.Targets.Classes.contiguous().data<long>().ToArray());
        Assert.Equal(new[] { 10, 11 }, cases.Targets.Steps);
        Assert.Equal(new long[] { 3, 2, 12 }, cases.Mask.shape);
        Assert.True(cases.Mask.sum(-1).eq(1).all().item<bool>());
        for (var b = 0; b < 3; b++)
            for (var k = 0; k < 2; k++)
            {
                var p = batch.Positions[b, k].item<long>();
                Assert.True(cases.Mask[b, k, p].item<bool>());
                Assert.Equal(batch.Targets[b, k].item<long>(), batch.Inputs[b, p].item<long>());   // the token to copy
            }
    }

    [Fact]
    public void AnOracleAttributionScoresOneAndUniformScoresChance()
    {
        using var model = Tiny.Model("minlstm", float32);
        using var batch = Tiny.Task.Sample(4, 5, TaskSplit.Evaluation);
        var cases = TaskCases.Of(model, Tiny.Task, batch);
        var (relevance, mask) = (TaskCases.Flatten(cases.Mask.to_type(float64)), TaskCases.Flatten(cases.Mask));
        Assert.Equal(1.0, Localisation.PointingGame(relevance, mask).mean().item<double>(), 15);
        Assert.Equal(1.0, Localisation.RelevanceMass(relevance, mask).mean().item<double>(), 15);
        var uniform = ones_like(relevance);
        Assert.Equal(1.0 / 12, Localisation.PointingGame(uniform, mask).mean().item<double>(), 15);
        Assert.Equal(1.0 / 12, Localisation.RelevanceRank(uniform, mask).mean().item<double>(), 15);
    }

    [Fact]
    public void WrongVocabularyOrMissingMaskIsAClearError()
    {
        using var model = Tiny.Model("mingru", float32);
        var wide = new SelectiveCopying(10, 2, 8);
        var e = Assert.Throws<ArgumentException>(() => TaskCases.Of(model, wide, wide.Sample(2, 1, TaskSplit.Evaluation)));
        Assert.Contains("vocab: the model has 6 tokens, the task 8", e.Message);
        using var masked = Tiny.Task.Sample(2, 1, TaskSplit.Evaluation);
        using var noMask = new TaskBatch(masked.Inputs.clone(), masked.Targets.clone(), null);
        e = Assert.Throws<ArgumentException>(() => TaskCases.Of(model, Tiny.Task, noMask));
        Assert.Equal("task: selective-copy defines no relevance mask", e.Message);
    }

    [Fact]
    public void BenchmarkScoresEveryMethodWithinRange()
    {
        using var model = Tiny.Model("mingru", float32, layers: 1);
        using var fresh = ModelRandomization.Randomized(model, 9);
        using var batch = Tiny.Task.Sample(4, 5, TaskSplit.Evaluation);
        var cases = TaskCases.Of(model, Tiny.Task, batch);
        foreach (var name in AttributionMethods.Names)
        {
            var method = AttributionMethods.Create(name, new IgOptions(8), cases.Filler);
            if (!method.AppliesTo(model)) continue;                                     // attention rollout: transformers only
            var s = ExplanationBenchmark.Score(method, model, fresh, cases, batch: 3);
            Assert.Equal(8, s.Cases);
            foreach (var v in new[] { s.PointingGame, s.RelevanceMass, s.RelevanceRank, s.DeletionAuc, s.InsertionAuc })
                Assert.InRange(v, 0, 1);
            Assert.Equal(name == "ig", s.IgCompletenessDelta is not null);
        }
    }

    /// <summary>Missing duplicate with 4 symbols has the tiny model's 6 tokens: s0 … s3, blank (4), query (5).</summary>
    private static readonly MissingDuplicate Duplicate = new(SeqLen: 4, Alphabet: 4);

    private static TaskBatch HandMade(long[,] targets) => new(
        tensor(new long[,] { { 1, 2, 1, 4, 5 }, { 3, 0, 4, 0, 5 } }),
        tensor(targets),
        tensor(new bool[,,] { { { false, true, false, false, false }, { true, true, false, true, false } },
                              { { true, false, false, false, false }, { false, false, true, true, true } } }));

    [Fact]
    public void CasesOfAHandMadeBatchAreItsScoredStepsTargetsAndMask()
    {
        using var model = Tiny.Model("mingru", float32);
        const long I = TaskBatch.IgnoreIndex;
        using var batch = HandMade(new long[,] { { I, I, I, 2, 1 }, { I, I, I, 3, 0 } });
        var cases = TaskCases.Of(model, Duplicate, batch);
        Assert.Equal(new[] { 3, 4 }, cases.Targets.Steps);
        Assert.Equal(new long[,] { { 2, 1 }, { 3, 0 } }, To2D(cases.Targets.Classes));
        Assert.True(batch.Relevance!.eq(cases.Mask).all().item<bool>());
        Assert.Equal(4, cases.Filler);                                       // the blank, not vocab − 1 (the query)
        var (tokens, steps, classes) = cases.Rows();
        Assert.Equal(new long[] { 3, 4, 3, 4 }, steps.data<long>().ToArray());
        Assert.Equal(new long[] { 2, 1, 3, 0 }, classes.data<long>().ToArray());
        Assert.True(batch.Inputs[1].eq(tokens[3]).all().item<bool>());
    }

    [Fact]
    public void RowsScoringDifferentStepsAreRefusedInOneLine()
    {
        using var model = Tiny.Model("mingru", float32);
        const long I = TaskBatch.IgnoreIndex;
        using var batch = HandMade(new long[,] { { I, I, I, 2, 1 }, { I, I, 3, I, 0 } });
        var e = Assert.Throws<ArgumentException>(() => TaskCases.Of(model, Duplicate, batch));
        Assert.Equal("task: rows of this missing-duplicate batch score different steps; explain needs the same steps in every row", e.Message);
    }

    [Fact]
    public void TaskBatchesOfEveryMaskedTaskGiveOneCasePerScoredStep()
    {
        using var model = Tiny.Model("mingru", float32);
        var recall = new AssociativeRecall(SeqLen: 8, Pairs: 2, Queries: 2, Keys: 3, Values: 2);
        using var batch = recall.Sample(5, 3, TaskSplit.Evaluation);
        var cases = TaskCases.Of(model, recall, batch);
        Assert.Equal(new[] { 6, 7 }, cases.Targets.Steps);
        Assert.True(cases.Mask.sum(-1).eq(2).all().item<bool>());            // the key and the value of each query
        Assert.Equal(5L, cases.Filler);
    }

    private static long[,] To2D(Tensor t)
    {
        var (rows, cols) = ((int)t.shape[0], (int)t.shape[1]);
        var result = new long[rows, cols];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < cols; c++) result[r, c] = t[r, c].item<long>();
        return result;
    }
}
