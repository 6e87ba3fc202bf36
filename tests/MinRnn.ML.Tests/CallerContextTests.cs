using Microsoft.ML;
using Microsoft.ML.Data;

namespace MinRnn.ML.Tests;

/// <summary>The component is built from the caller's catalog, as ML.NET's own estimators are, so the caller's
/// <see cref="MLContext"/> hears the log of the transforms it is made of. A component built on a private context of its
/// own logs nothing to the caller.</summary>
/// <remarks>Cancellation is not tested: ML.NET's transforms, ours among them, never check the context's cancellation
/// (only trainers do); with the context cancelled, Fit and reading the output both still complete.</remarks>
public class CallerContextTests
{
    private static readonly LongRow[] Rows = Sequences.Rows(Sequences.Mixed(4, 16, seed: 3, minLength: 5, maxLength: 30));

    [Fact]
    public void TheComponentLogsToTheCallersContext()
    {
        var ml = new MLContext(seed: 1);
        var sources = new List<string>();
        ml.Log += (_, e) => { lock (sources) sources.Add(e.Source); };
        var data = ml.Data.LoadFromEnumerable(Rows);
        using var model = ml.Transforms.ApplySequenceModel(Repo.Model("mingru"), "Tokens", "Predictions").Fit(data);
        Assert.Equal(Rows.Length, model.Transform(data).GetColumn<long[]>("Predictions").Count());
        lock (sources)   // the custom mappings (token conversion, vocabulary guard) are the component's alone here
            Assert.Contains(sources, s => s.StartsWith("CustomMappingTransformer", StringComparison.Ordinal));
    }
}
