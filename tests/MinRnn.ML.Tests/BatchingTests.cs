using Microsoft.ML;
using Microsoft.ML.Data;

namespace MinRnn.ML.Tests;

/// <summary>BatchSize > 1 shares ONNX Runtime calls between consecutive rows of equal length and changes no output.</summary>
public class BatchingTests
{
    /// <summary>Runs of equal length (to batch), lengths changing mid-batch, and a batch cut at the batch size.</summary>
    private static long[][] Runs(int vocab)
    {
        var mixed = Sequences.Mixed(40, vocab, seed: 11, minLength: 1, maxLength: 70);
        return [.. mixed.Take(3), .. Sequences.Mixed(9, vocab, seed: 12, minLength: 30, maxLength: 30), .. mixed.Skip(3).Take(2),
                .. Sequences.Mixed(4, vocab, seed: 13, minLength: 68, maxLength: 68), .. mixed.Skip(5)];
    }

    public static TheoryData<string> Cells => new(Repo.Cells);

    [Theory]
    [MemberData(nameof(Cells))]
    public void BatchedOutputsEqualRowByRowOutputs(string cell)
    {
        var info = SequenceModelInfo.Read(Repo.Model(cell));
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Sequences.Rows(Runs(info.Vocab)));
        IDataView Apply(int batch) => ml.Transforms.ApplySequenceModel(new SequenceModelOptions
        {
            ModelFile = Repo.Model(cell), LogitsColumnName = "Logits", LastLogitsColumnName = "Last", FinalStateColumnPrefix = "final_", BatchSize = batch,
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

    [Fact]
    public void BatchSizeBelowOneIsRejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MLContext().Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = Repo.Model("mingru"), BatchSize = 0 }));
}
