using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML.Onnx;
using MinRnn.ML.Tokens;
using C = MinRnn.ML.Tokens.ComponentColumns;

namespace MinRnn.ML.Batching;

/// <summary>How a fitted component runs with a batch size above 1: the chain's first steps (copy and convert the tokens),
/// then a <see cref="BatchedModelView"/> that checks each row against the vocabulary itself (the same rule and message as
/// the chain's check graph and guard, without an ONNX Runtime call per row) and runs the model through a
/// <see cref="BatchRunner"/> (opened on first use), then the outputs renamed and the intermediate columns dropped.</summary>
internal sealed class BatchPlan(byte[] model, IReadOnlyList<RequestedOutput> outputs, IReadOnlyList<string> columnNames,
    int? cudaDevice, int batchSize, int vocab, bool ragged, string inputColumn, TokenKind kind) : IDisposable
{
    /// <summary>Copy and convert: the steps of the chain before the check graph.</summary>
    private const int FrontSteps = 2;

    private readonly Lazy<BatchRunner> runner = new(() => new BatchRunner(model, C.CheckedTokens, outputs, cudaDevice, ragged));

    public int BatchSize => batchSize;

    public IDataView Transform(TransformerChain<ITransformer> chain, IDataView data, DataViewSchema outputSchema)
    {
        var tokens = new TransformerChain<ITransformer>(chain.Take(FrontSteps).ToArray()).Transform(data);
        var types = columnNames.Select(name => outputSchema[name].Type).ToList();
        var view = new BatchedModelView(tokens, data, inputColumn, kind, runner.Value, types, batchSize, vocab);
        var ml = new MLContext(seed: 0);
        var back = outputs.Select((o, i) => (IEstimator<ITransformer>)ml.Transforms.CopyColumns(columnNames[i], o.GraphName))
            .Aggregate(new EstimatorChain<ITransformer>(), (c, step) => c.Append(step))
            .Append(ml.Transforms.DropColumns([C.Input, C.Tokens, .. outputs.Select(o => o.GraphName)]));
        return back.Fit(view).Transform(view);
    }

    public void Dispose()
    {
        if (runner.IsValueCreated) runner.Value.Dispose();
    }
}
