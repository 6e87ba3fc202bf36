using System.Text.Json.Nodes;
using MinRnn.Tasks;
using static MinRnn.Tests.Tasks.TaskTesting;

namespace MinRnn.Tests.Tasks;

/// <summary>What every registered task owes the contract: its quick setting works, its options survive JSON, its
/// batches are reproducible, and impossible options fail naming the option.</summary>
public sealed class TaskContractTests : IDisposable
{
    private readonly TempFolder files = new();

    public void Dispose() => files.Dispose();

    public static TheoryData<string> Names => [.. TaskRegistry.Names];

    /// <summary>The quick setting; a file task's has no files yet: char-lm reads a Markov text, classify and label
    /// generated rows.</summary>
    private ISequenceTask Quick(string name) => name == CharLm.TaskName ? MarkovText.Task(files)
        : name == Forecast.TaskName ? SeriesFiles.Task(SeriesFiles.Write(files, SeriesFiles.Sine(200, noise: 0.3)), seqLen: 12, horizon: 3)
        : TaskRegistry.Find(name).Quick is IFileTask ? LabelledFiles.Task(files, name) : TaskRegistry.Find(name).Quick;

    [Fact]
    public void RegistryNamesAreDistinctAndCoverEveryTaskType()
    {
        Assert.Equal(TaskRegistry.All.Count, TaskRegistry.Names.Distinct().Count());
        var types = typeof(ISequenceTask).Assembly.GetTypes().Where(t => !t.IsAbstract && t.IsAssignableTo(typeof(ISequenceTask)));
        Assert.Equal(types.OrderBy(t => t.Name), TaskRegistry.All.Select(k => k.Type).OrderBy(t => t.Name));
        Assert.Equal(typeof(SelectiveCopying), TaskRegistry.Find(SelectiveCopying.FileName).Type);   // version-1 name
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void QuickSettingValidatesAndItsNameFindsItsKind(string name)
    {
        var kind = TaskRegistry.Find(name);
        Assert.Equal(name, kind.Quick.Name);
        Assert.IsType(kind.Type, kind.Quick);
        var task = Quick(name);
        task.Validate();
        Assert.True(kind.QuickSteps > 0 && kind.QuickLr > 0);
        Assert.Equal(task, task.WithSeqLen(task.SeqLen));
        if (task.Filler is { } filler) Assert.InRange(filler, 0, task.Vocabulary.Size - 1);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void JsonRoundTripGivesTheSameTask(string name)
    {
        var task = Quick(name);
        Assert.Equal(task, TaskJson.FromJson(TaskJson.ToJson(task)));
        Assert.Equal(task, TaskJson.FromJson(task.Summary()));           // summary.json's task block reads back too
        Assert.Equal(name, TaskJson.ToJson(task)["name"]!.GetValue<string>());
        var longer = task.WithSeqLen(task.SeqLen + 2);
        Assert.NotEqual(task, longer);
        Assert.Equal(longer, TaskJson.FromJson(TaskJson.ToJson(longer)));
    }

    [Fact]
    public void VersionOneBlockWithoutANameIsSelectiveCopying()
    {
        var task = TaskJson.FromJson(new JsonObject { ["seq_len"] = 12, ["tokens"] = 3, ["vocab"] = 6 });
        Assert.Equal(new SelectiveCopying(SeqLen: 12, Tokens: 3, Vocab: 6), task);
    }

    [Fact]
    public void UnknownTaskNameFailsNamingIt()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => TaskJson.FromJson(new JsonObject { ["name"] = "nope", ["seq_len"] = 4 }));
        Assert.Contains("'nope'", e.Message);
        e = Assert.ThrowsAny<ArgumentException>(() => TaskRegistry.Find("parity2"));
        Assert.Contains("'parity2'", e.Message);
    }

    [Fact]
    public void WithReplacesOptionsAndRejectsUnknownOnesAndWrongValues()
    {
        Assert.Equal(new Majority(SeqLen: 9, Alphabet: 3), TaskJson.With(new Majority(), [("seq-len", "9"), ("alphabet", "3")]));
        var e = Assert.ThrowsAny<ArgumentException>(() => TaskJson.With(new Parity(), [("foo", "1")]));
        Assert.Contains("'foo'", e.Message);
        e = Assert.ThrowsAny<ArgumentException>(() => TaskJson.With(new Parity(), [("tokens", "3")]));
        Assert.Contains("'tokens'", e.Message);
        e = Assert.ThrowsAny<ArgumentException>(() => TaskJson.With(new Parity(), [("seq_len", "abc")]));
        Assert.StartsWith("task-opt: seq_len", e.Message);
        Assert.ThrowsAny<ArgumentException>(() => TaskJson.With(new Parity(), [("seq_len", "1.5")]));        // not an integer
        Assert.ThrowsAny<ArgumentException>(() => TaskJson.With(new Parity(), [("seq_len", "99999999999")])); // not an int32
    }

    public static TheoryData<ISequenceTask, string> Impossible => new()
    {
        { new AssociativeRecall(SeqLen: 10, Pairs: 4, Queries: 3), "seq_len" },    // needs 2·4 + 3 = 11
        { new AssociativeRecall(SeqLen: 64, Pairs: 4, Queries: 5), "queries" },
        { new AssociativeRecall(SeqLen: 64, Pairs: 8, Queries: 2, Keys: 7), "keys" },
        { new AssociativeRecall(SeqLen: 64, Values: 1), "values" },
        { new Majority(SeqLen: 8, Alphabet: 1), "alphabet" },
        { new MajorityCount(SeqLen: 8, Alphabet: 1), "alphabet" },
        { new MissingDuplicate(SeqLen: 8, Alphabet: 1), "alphabet" },
        { new BucketSort(SeqLen: 8, Alphabet: 1), "alphabet" },
        { new MajorityCount(SeqLen: 20, MaxCount: 19), "max_count" },
        { new MissingDuplicate(SeqLen: 7), "seq_len" },
        { new Parity(SeqLen: 0), "seq_len" },
        { new SelectiveCopying(SeqLen: 2, Tokens: 3), "seq-len" },
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public void ImpossibleOptionsFailNamingTheOption(ISequenceTask task, string option)
    {
        var e = Assert.ThrowsAny<ArgumentException>(task.Validate);
        Assert.StartsWith(option + ":", e.Message);
        Assert.ThrowsAny<ArgumentException>(() => task.Sample(1, 0, TaskSplit.Evaluation));
    }

    [Fact]
    public void WithSeqLenRefusesLengthsTheTaskCannotHave()
    {
        Assert.StartsWith("seq_len:", Assert.ThrowsAny<ArgumentException>(() => new MissingDuplicate().WithSeqLen(9)).Message);
        Assert.StartsWith("max_count:", Assert.ThrowsAny<ArgumentException>(() => new MajorityCount(MaxCount: 40).WithSeqLen(41)).Message);
        Assert.StartsWith("seq_len:", Assert.ThrowsAny<ArgumentException>(() => new AssociativeRecall().WithSeqLen(19)).Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void SameSeedAndSplitGiveTheSameBatchOtherSeedsAnotherOne(string name)
    {
        var task = Quick(name);
        foreach (var split in new[] { TaskSplit.Train, TaskSplit.Evaluation })
        {
            using var a = task.Sample(8, 42, split);
            using var b = task.Sample(8, 42, split);
            using var c = task.Sample(8, 43, split);
            Assert.True(Same(a, b), $"{split}: same seed, different batches");
            if (task is IFileTask && split == TaskSplit.Evaluation)
                Assert.True(Same(a, c), "a file task's evaluation rows are fixed by its files, not the seed");
            else
                Assert.False(Same(a, c), $"{split}: seeds 42 and 43 gave the same batch");
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TrainAndEvaluationSplitsOfOneSeedDiffer(string name)
    {
        var task = Quick(name);
        using var train = task.Sample(8, 42, TaskSplit.Train);
        using var evaluation = task.Sample(8, 42, TaskSplit.Evaluation);
        if (task is SelectiveCopying or AssociativeRecall)
            // One distribution for both splits (fixed length T; selective copying keeps version 1's rows), so one
            // seed gives one batch; the trainer keeps the streams apart with Seeds.TrainBatch and Seeds.Evaluation.
            Assert.True(Same(train, evaluation));
        else
            Assert.False(Same(train, evaluation), "train and evaluation batches of one seed are equal");
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ScoredPositionsAndRelevanceAgree(string name)
    {
        var task = Quick(name);
        if (task.Objective != TaskLoss.CrossEntropy) return;             // no scored positions: float targets (B, H), ForecastTests
        foreach (var split in new[] { TaskSplit.Train, TaskSplit.Evaluation })
            foreach (var row in Sample(task, 16, 5, split))
            {
                Assert.NotEmpty(row.ScoredSteps);
                if (row.Relevance is null) continue;
                Assert.Equal(row.ScoredSteps.Length, row.Relevance.Length);
                for (var a = 0; a < row.Relevance.Length; a++)
                    Assert.All(row.RelevantTo(a), p => Assert.True(p < row.ScoredSteps[a], "an answer depends on a later input"));
            }
    }
}
