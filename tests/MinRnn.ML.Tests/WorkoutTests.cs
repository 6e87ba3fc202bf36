using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML.Tokens;

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
    private static SchemaShape Shape(DataViewSchema schema) =>
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
    }
}
