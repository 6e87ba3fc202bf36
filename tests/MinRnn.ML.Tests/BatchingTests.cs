using Microsoft.ML;
using Microsoft.ML.Data;

namespace MinRnn.ML.Tests;

/// <summary>BatchSize > 1 shares ONNX Runtime calls between consecutive rows — of any lengths, padded, with the model's
/// lengths input; of equal length with a file exported before it — and changes no output.</summary>
[Collection(MambaFiles.Collection)]
public class BatchingTests(MambaFiles mamba)
{
    /// <summary>Runs of equal length (to batch), lengths changing mid-batch, and a batch cut at the batch size.</summary>
    private static long[][] Runs(int vocab)
    {
        var mixed = Sequences.Mixed(40, vocab, seed: 11, minLength: 1, maxLength: 70);
        return [.. mixed.Take(3), .. Sequences.Mixed(9, vocab, seed: 12, minLength: 30, maxLength: 30), .. mixed.Skip(3).Take(2),
                .. Sequences.Mixed(4, vocab, seed: 13, minLength: 68, maxLength: 68), .. mixed.Skip(5)];
    }

    public static TheoryData<string> Cells => new(Repo.Exported);

    [Theory]
    [MemberData(nameof(Cells))]
    public void BatchedOutputsEqualRowByRowOutputs(string cell) => AssertBatchedEqualsRowByRow(Repo.Model(cell));

    /// <summary>Mamba through the lengths input: Δ = 0 at padded steps keeps h, and the conv state is each row's own.</summary>
    [Theory]
    [InlineData("scan")]
    [InlineData("chunked")]
    public void BatchedMambaOutputsEqualRowByRowOutputs(string form) => AssertBatchedEqualsRowByRow(mamba.Model(form));

    private static void AssertBatchedEqualsRowByRow(string file)
    {
        var info = SequenceModelInfo.Read(file);
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Sequences.Rows(Runs(info.Vocab)));
        IDataView Apply(int batch) => ml.Transforms.ApplySequenceModel(new SequenceModelOptions
        {
            ModelFile = file, LogitsColumnName = "Logits", LastLogitsColumnName = "Last", FinalStateColumnPrefix = "final_", BatchSize = batch,
        }).Fit(data).Transform(data);
        var (one, batched) = (Apply(1), Apply(8));
        Assert.Equal(one.Schema.Select(c => (c.Name, c.Type)), batched.Schema.Select(c => (c.Name, c.Type)));
        Assert.Equal(one.GetColumn<long[]>("Tokens"), batched.GetColumn<long[]>("Tokens"));
        Assert.Equal(one.GetColumn<long[]>("Predictions"), batched.GetColumn<long[]>("Predictions"));
        foreach (var column in (string[])["Logits", "Last", .. info.States.Select(s => "final_" + s.Name)])
        {
            var (a, b) = (one.GetColumn<float[]>(column).ToArray(), batched.GetColumn<float[]>(column).ToArray());
            for (var i = 0; i < a.Length; i++) RelativeError.AssertWithin(b[i], a[i], 1e-6, $"{column} row {i}");
        }
    }

    /// <summary>The batched view serves the component's schema itself: the user's other columns pass through in order, and a
    /// user column an output hides stays in the schema, hidden, with its own values, as in the row-by-row chain.</summary>
    [Fact]
    public void BatchedViewKeepsTheUsersColumnsAndHiddenOnes()
    {
        var ml = new MLContext(seed: 1);
        var runs = Runs(16);
        var data = ml.Data.LoadFromEnumerable(runs.Select((r, i) => new TaggedRow { Id = i, Tokens = r, Predictions = i * 0.5f }));
        IDataView Apply(int batch) => ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = Repo.Model("mingru"), BatchSize = batch })
            .Fit(data).Transform(data);
        var (one, batched) = (Apply(1), Apply(8));
        Assert.Equal(one.Schema.Select(c => (c.Name, c.Type, c.IsHidden)), batched.Schema.Select(c => (c.Name, c.Type, c.IsHidden)));
        Assert.Contains(batched.Schema, c => c.Name == "Predictions" && c.IsHidden);
        Assert.Equal(Enumerable.Range(0, runs.Length), batched.GetColumn<int>("Id"));
        Assert.Equal(one.GetColumn<long[]>("Predictions"), batched.GetColumn<long[]>("Predictions"));
        var hidden = batched.Schema.Single(c => c.Name == "Predictions" && c.IsHidden);
        using var cursor = batched.GetRowCursor([hidden]);
        var getter = cursor.GetGetter<float>(hidden);
        var values = new List<float>();
        while (cursor.MoveNext()) { var v = 0f; getter(ref v); values.Add(v); }
        Assert.Equal(Enumerable.Range(0, runs.Length).Select(i => i * 0.5f), values);
    }

    private sealed class TaggedRow
    {
        public int Id { get; set; }
        [VectorType] public long[] Tokens { get; set; } = [];
        public float Predictions { get; set; }
    }

    [Fact]
    public void BatchedRowsStillFailClearly()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new LongRow { Tokens = [1, 2] }, new LongRow { Tokens = [3, 99] } });
        var view = ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = Repo.Model("mingru"), BatchSize = 4 }).Fit(data).Transform(data);
        var e = Record.Exception(() => view.GetColumn<long[]>("Predictions").ToList());
        while (e is not null and not InvalidTokenSequenceException) e = e.InnerException;
        Assert.Equal("MinRnn: token id 99 at position 1 is outside the model's vocabulary (ids 0..15)", e?.Message);
    }

    /// <summary>A file without the lengths input (the shipped model with that input removed: its default becomes a
    /// constant) still batches, runs of equal length only, with every output as row by row; key and int32 columns too.</summary>
    [Theory]
    [InlineData("mingru")]
    [InlineData("lstm")]
    public void FilesWithoutLengthsAndOtherTokenKindsBatchToo(string cell)
    {
        var proto = global::Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(Repo.Model(cell)));
        Assert.Contains(proto.Graph.Input, i => i.Name == "lengths");
        proto.Graph.Input.Remove(proto.Graph.Input.Single(i => i.Name == "lengths"));
        var old = Path.Combine(Path.GetTempPath(), $"minrnn-old-{cell}-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(old, Google.Protobuf.MessageExtensions.ToByteArray(proto));
        var info = SequenceModelInfo.Read(old);
        var ml = new MLContext(seed: 1);
        var runs = Runs(info.Vocab);
        foreach (var data in new[] { ml.Data.LoadFromEnumerable(Sequences.Rows(runs)),
                                     ml.Data.LoadFromEnumerable(runs.Select(r => new KeyRow { Tokens = [.. r.Select(t => (uint)t + 1)] })),
                                     ml.Data.LoadFromEnumerable(runs.Select(r => new IntRow { Tokens = [.. r.Select(t => (int)t)] })) })
        {
            long[][] Predictions(string file, int batch) => [.. ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = file, BatchSize = batch })
                .Fit(data).Transform(data).GetColumn<long[]>("Predictions")];
            var expected = Predictions(Repo.Model(cell), 1);
            Assert.Equal(expected, Predictions(old, 8));
            Assert.Equal(expected, Predictions(Repo.Model(cell), 8));
        }
    }

    [Fact]
    public void BatchedKeyColumnsFailOnAMissingKey()
    {
        var ml = new MLContext();
        var data = ml.Data.LoadFromEnumerable(new[] { new KeyRow { Tokens = [1, 2] }, new KeyRow { Tokens = [3, 0, 4] } });
        var view = ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = Repo.Model("gru"), BatchSize = 4 }).Fit(data).Transform(data);
        var e = Record.Exception(() => view.GetColumn<long[]>("Predictions").ToList());
        while (e is not null and not InvalidTokenSequenceException) e = e.InnerException;
        Assert.Equal("MinRnn: missing key value at position 1; every token needs a key", e?.Message);
    }

    [Fact]
    public void BatchSizeBelowOneIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = Repo.Model("mingru"), BatchSize = 0 }));
}
