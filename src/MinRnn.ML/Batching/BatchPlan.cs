using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML.Onnx;

namespace MinRnn.ML.Batching;

/// <summary>How a fitted component runs with a batch size above 1: the chain's steps before the model, the model through
/// a <see cref="BatchRunner"/> (opened on first use), the steps after it.</summary>
internal sealed class BatchPlan(byte[] model, string input, IReadOnlyList<RequestedOutput> outputs, int? cudaDevice, int batchSize, int modelStep) : IDisposable
{
    private readonly Lazy<BatchRunner> runner = new(() => new BatchRunner(model, input, outputs, cudaDevice));

    public int BatchSize => batchSize;

    public IDataView Transform(TransformerChain<ITransformer> chain, IDataView data)
    {
        var steps = chain.ToArray();
        var front = new TransformerChain<ITransformer>(steps[..modelStep]);
        var back = new TransformerChain<ITransformer>(steps[(modelStep + 1)..]);
        var checkedTokens = front.Transform(data);
        var modelSchema = steps[modelStep].GetOutputSchema(checkedTokens.Schema);
        var types = outputs.Select(o => modelSchema[o.GraphName].Type).ToList();
        return back.Transform(new BatchedModelView(checkedTokens, runner.Value, types, batchSize));
    }

    public void Dispose()
    {
        if (runner.IsValueCreated) runner.Value.Dispose();
    }
}
