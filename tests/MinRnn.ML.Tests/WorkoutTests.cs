using Microsoft.ML;
using Microsoft.ML.Data;

namespace MinRnn.ML.Tests;

/// <summary>The estimator's workout (ML.NET's habit): output schema, invalid input, save → load.</summary>
public class WorkoutTests
{
    private static readonly string Model = Repo.Model("mingru");

    private static SequenceModelOptions AllOptions => new()
    {
        ModelFile = Model, InputColumnName = "Tokens", PredictionsColumnName = "Predictions", LogitsColumnName = "Logits",
        LastLogitsColumnName = "Last", FinalStateColumnPrefix = "final_",
    };

    /// <summary>SchemaShape.Create is internal to ML.NET (its estimator chains call it); reached by reflection here.</summary>
    internal static SchemaShape Shape(DataViewSchema schema) =>
        (SchemaShape)typeof(SchemaShape).GetMethod("Create", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .Invoke(null, [schema])!;

    [Fact]
    public void OutputSchemaHasTypedVectors()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Sequences.Rows(Sequences.Mixed(4, 16, seed: 1)));
        var estimator = ml.Transforms.ApplySequenceModel(AllOptions);
        var shape = estimator.GetOutputSchema(Shape(data.Schema));
        var schema = estimator.Fit(data).GetOutputSchema(data.Schema);

        Assert.Equal(new VectorDataViewType(NumberDataViewType.Int64), schema["Predictions"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single), schema["Logits"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1, 16), schema["Last"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1, 64), schema["final_state_h_0"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 1, 64), schema["final_state_h_1"].Type);
        Assert.DoesNotContain(schema, c => c.Name.StartsWith("MinRnn.", StringComparison.Ordinal));
        Assert.Equal(["Tokens", "Predictions", "Logits", "Last", "final_state_h_0", "final_state_h_1"], schema.Select(c => c.Name));
        Assert.Equal(schema.Select(c => c.Name), shape.Select(c => c.Name));
        var fromSchema = Shape(schema);
        foreach (var (declared, fitted) in shape.Zip(fromSchema))
            Assert.Equal((fitted.Name, fitted.Kind, fitted.ItemType, fitted.IsKey), (declared.Name, declared.Kind, declared.ItemType, declared.IsKey));
    }
}

public class WorkoutInvalidInputTests
{
    private static readonly string Model = Repo.Model("mingru");

    private static IDataView Apply<TRow>(TRow[] rows, SequenceModelOptions? options = null) where TRow : class
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        return ml.Transforms.ApplySequenceModel(options ?? new SequenceModelOptions { ModelFile = Model }).Fit(data).Transform(data);
    }

    /// <summary>Reads every predictions row and returns the component's row error, unwrapped from ML.NET's wrappers.</summary>
    private static InvalidTokenSequenceException RowError(IDataView view)
    {
        var e = Record.Exception(() => view.GetColumn<long[]>("Predictions").ToList());
        for (var inner = e; inner is not null; inner = inner.InnerException)
            if (inner is InvalidTokenSequenceException found) return found;
        throw new Xunit.Sdk.XunitException($"expected an InvalidTokenSequenceException, got {e?.ToString() ?? "none"}");
    }

    [Fact]
    public void MissingColumnIsNamed()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Apply(new[] { new LongRow { Tokens = [1, 2] } },
            new SequenceModelOptions { ModelFile = Model, InputColumnName = "Ids" }));
        Assert.Contains("input column 'Ids' not found", e.Message);
    }

    [Fact]
    public void WrongColumnTypesAreNamed()
    {
        var floats = Assert.Throws<ArgumentOutOfRangeException>(() => Apply(new[] { new FloatRow { Tokens = [1, 2] } }));
        Assert.Contains("input column 'Tokens' is Vector<Single>; it must be a vector of token ids", floats.Message);
        var scalar = Assert.Throws<ArgumentOutOfRangeException>(() => Apply(new[] { new ScalarRow { Tokens = 3 } }));
        Assert.Contains("input column 'Tokens' is Int64; it must be a vector", scalar.Message);
    }

    [Fact]
    public void KeyColumnWithMoreKeysThanTheVocabularyFails()
    {
        var ml = new MLContext();
        var schema = DataViewSchemaWithKey(ml, 20);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.ApplySequenceModel(Model, "Tokens", "Predictions").Fit(schema));
        Assert.Contains("has 20 key values but the model's vocabulary has 16 ids", e.Message);
    }

    private static IDataView DataViewSchemaWithKey(MLContext ml, int count)
    {
        var definition = Microsoft.ML.Data.SchemaDefinition.Create(typeof(KeyRow));
        definition["Tokens"].ColumnType = new VectorDataViewType(new KeyDataViewType(typeof(uint), count));
        return ml.Data.LoadFromEnumerable(new[] { new KeyRow { Tokens = [1, 2] } }, definition);
    }

    [Fact]
    public void TokenOutsideTheVocabularyFailsTheRow()
    {
        var e = RowError(Apply(new[] { new LongRow { Tokens = [1, 2, 3] }, new LongRow { Tokens = [15, 14, 16, 1] } }));
        Assert.Equal("MinRnn: token id 16 at position 2 is outside the model's vocabulary (ids 0..15)", e.Message);
        var negative = RowError(Apply(new[] { new IntRow { Tokens = [-1, 2] } }));
        Assert.Equal("MinRnn: token id -1 at position 0 is outside the model's vocabulary (ids 0..15)", negative.Message);
        var large = RowError(Apply(new[] { new UIntRow { Tokens = [1, uint.MaxValue] } }));
        Assert.Contains($"token id {uint.MaxValue} at position 1", large.Message);
    }

    [Fact]
    public void EmptySequenceFailsTheRow()
    {
        var e = RowError(Apply(new[] { new LongRow { Tokens = [1, 2] }, new LongRow { Tokens = [] } }));
        Assert.Equal("MinRnn: empty token sequence; every row needs at least one token", e.Message);
    }

    [Fact]
    public void MissingKeyFailsTheRow()
    {
        var e = RowError(Apply(new[] { new KeyRow { Tokens = [1, 0, 3] } }));
        Assert.Equal("MinRnn: missing key value at position 1; every token needs a key", e.Message);
    }

    [Fact]
    public void BadOptionsAndFilesFailAtOnce()
    {
        var ml = new MLContext();
        Assert.Contains("no output asked for", Assert.Throws<ArgumentException>(() =>
            ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = Model, PredictionsColumnName = null })).Message);
        Assert.Contains("reserves for its own columns", Assert.Throws<ArgumentException>(() =>
            ml.Transforms.ApplySequenceModel(Model, "Tokens", "MinRnn.Out")).Message);
        Assert.Contains("two outputs are both named 'X'", Assert.Throws<ArgumentException>(() =>
            ml.Transforms.ApplySequenceModel(new SequenceModelOptions { ModelFile = Model, PredictionsColumnName = "X", LogitsColumnName = "X" })).Message);
        Assert.Throws<FileNotFoundException>(() => ml.Transforms.ApplySequenceModel("no-such.onnx", "Tokens", "Predictions"));
        var text = Path.GetTempFileName();
        try
        {
            File.WriteAllText(text, "not a model");
            Assert.Contains("not an ONNX model", Assert.Throws<InvalidDataException>(() => ml.Transforms.ApplySequenceModel(text, "Tokens", "P")).Message);
        }
        finally { File.Delete(text); }
    }

    [Fact]
    public void FittedComponentRejectsAnotherColumnType()
    {
        var ml = new MLContext();
        var longs = ml.Data.LoadFromEnumerable(new[] { new LongRow { Tokens = [1, 2] } });
        var fitted = ml.Transforms.ApplySequenceModel(Model, "Tokens", "Predictions").Fit(longs);
        var ints = ml.Data.LoadFromEnumerable(new[] { new IntRow { Tokens = [1, 2] } });
        Assert.Contains("holds Int32 ids but the component was fitted on Int64 ids",
            Assert.Throws<ArgumentOutOfRangeException>(() => fitted.Transform(ints)).Message);
    }
}

public class WorkoutPersistenceTests
{
    [Fact]
    public void SaveLoadInAFreshContextGivesIdenticalOutputs()
    {
        var rows = Sequences.Rows(Sequences.Mixed(12, 16, seed: 3));
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows);
        var options = new SequenceModelOptions
        {
            ModelFile = Repo.Model("mingru"), LogitsColumnName = "Logits", LastLogitsColumnName = "Last", FinalStateColumnPrefix = "final_",
        };
        var fitted = ml.Transforms.ApplySequenceModel(options).Fit(data);
        var before = fitted.Transform(data);
        using var stream = new MemoryStream();
        ml.Model.Save(fitted, data.Schema, stream);

        stream.Position = 0;
        var fresh = new MLContext();
        var loaded = fresh.Model.Load(stream, out var inputSchema);
        using var removesTemporaryFiles = (IDisposable)loaded;   // ML.NET keeps each loaded ONNX model in a temporary file
        Assert.Equal("Tokens", Assert.Single(inputSchema).Name);
        var after = loaded.Transform(fresh.Data.LoadFromEnumerable(rows));
        Assert.Equal(before.Schema.Select(c => (c.Name, c.Type)), after.Schema.Select(c => (c.Name, c.Type)));
        Assert.Equal(before.GetColumn<long[]>("Predictions"), after.GetColumn<long[]>("Predictions"));
        foreach (var column in new[] { "Logits", "Last", "final_state_h_0", "final_state_h_1" })
            Assert.Equal(before.GetColumn<float[]>(column), after.GetColumn<float[]>(column));

        // One row at a time, as a service would: the fitted component and the loaded chain agree with the batch view.
        using var fittedEngine = ml.Model.CreatePredictionEngine<LongRow, AllOutputs>(fitted);
        using var loadedEngine = fresh.Model.CreatePredictionEngine<LongRow, AllOutputs>(loaded);
        var expected = before.GetColumn<long[]>("Predictions").ToArray();
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(expected[i], fittedEngine.Predict(rows[i]).Predictions);
            Assert.Equal(expected[i], loadedEngine.Predict(rows[i]).Predictions);
        }
    }
}
