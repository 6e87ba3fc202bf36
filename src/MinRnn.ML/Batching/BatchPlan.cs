using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML.Onnx;
using MinRnn.ML.Tokens;

namespace MinRnn.ML.Batching;

/// <summary>How a fitted component runs with a batch size above 1: a <see cref="BatchedModelView"/> over the user's data
/// that checks each row against the vocabulary itself (the same rule and message as the chain's check graph and guard,
/// without an ONNX Runtime call per row), runs the model through a <see cref="BatchRunner"/> (opened on first use) and
/// serves the chain's output schema.</summary>
internal sealed class BatchPlan(byte[] model, string modelInput, IReadOnlyList<RequestedOutput> outputs, IReadOnlyList<string> columnNames,
    int? cudaDevice, int batchSize, int vocab, bool ragged, string inputColumn, TokenKind kind) : IDisposable
{
    private readonly Lazy<BatchRunner> runner = new(() => new BatchRunner(model, modelInput, outputs, cudaDevice, ragged));

    public int BatchSize => batchSize;

    /// <summary>The component over `data`, whose output schema the chain gives as `outputSchema`.</summary>
    public IDataView Transform(IDataView data, DataViewSchema outputSchema) =>
        new BatchedModelView(data, outputSchema, columnNames, inputColumn, kind, runner.Value, batchSize, vocab);

    public void Dispose()
    {
        if (runner.IsValueCreated) runner.Value.Dispose();
    }
}
