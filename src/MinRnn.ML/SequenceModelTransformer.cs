using Microsoft.ML;
using Microsoft.ML.Data;
using MinRnn.ML.Batching;
using MinRnn.ML.Classes;
using MinRnn.ML.Tokens;

namespace MinRnn.ML;

/// <summary>A fitted <see cref="SequenceModelEstimator"/>: the model applied to the input's token column. Schema
/// checks name the column; row errors (empty sequence, missing key, id outside the vocabulary) are
/// <see cref="InvalidTokenSequenceException"/>s.</summary>
/// <remarks>Saving stores the chain of ML.NET transforms this wraps, so <c>mlContext.Model.Load</c> gives back that
/// chain (a <c>TransformerChain</c>), which computes the same columns; on load ONNX Runtime runs where the loading
/// <c>MLContext</c>'s <c>GpuDeviceId</c>/<c>FallbackToCpu</c> say (CPU by default).</remarks>
public sealed class SequenceModelTransformer : ITransformer, IDisposable
{
    private readonly TransformerChain<ITransformer> chain;
    private readonly BatchPlan batching;
    private readonly TokenKind kind;
    private readonly ClassOrder? order;
    private SchemaPair? lastSchema;   // the chain's output schema is costly (custom mappings); one reference, read whole

    internal SequenceModelTransformer(TransformerChain<ITransformer> chain, BatchPlan batching, SequenceModelOptions options, SequenceModelInfo info,
        TokenKind kind, ExecutionProvider provider, string? providerNote, ClassOrder? order)
    {
        this.chain = chain;
        this.batching = batching;
        this.kind = kind;
        this.order = order;
        Options = options;
        Info = info;
        Provider = provider;
        ProviderNote = providerNote;
    }

    /// <summary>The options the component was made with.</summary>
    public SequenceModelOptions Options { get; }

    /// <summary>What the model file says about the model.</summary>
    public SequenceModelInfo Info { get; }

    /// <summary>Where ONNX Runtime runs the model (CPU after a fall-back).</summary>
    public ExecutionProvider Provider { get; }

    /// <summary>Why CUDA was not used although asked for; null otherwise.</summary>
    public string? ProviderNote { get; }

    /// <summary>A classify model's classes in the order Score's slots and PredictedLabel's keys hold them (the model's, or
    /// the label key's of <see cref="SequenceModelOptions.LabelColumnName"/> at Fit); empty for other tasks.</summary>
    public IReadOnlyList<string> ClassNames => order?.SlotNames ?? [];

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        Check(inputSchema);
        return OutputSchema(inputSchema);
    }

    /// <summary>The chain's output schema for `input`, kept for the last input schema seen (a batched Transform per call
    /// would otherwise rebuild the chain's custom mappings each time).</summary>
    private DataViewSchema OutputSchema(DataViewSchema input)
    {
        if (lastSchema is { } last && ReferenceEquals(last.Input, input)) return last.Output;
        var output = chain.GetOutputSchema(input);
        lastSchema = new SchemaPair(input, output);
        return output;
    }

    private sealed record SchemaPair(DataViewSchema Input, DataViewSchema Output);

    /// <summary>Applies the component; with <see cref="SequenceModelOptions.BatchSize"/> above 1, consecutive rows of equal
    /// length share ONNX Runtime calls.</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Check(input.Schema);
        return batching.BatchSize > 1 ? batching.Transform(input, OutputSchema(input.Schema)) : chain.Transform(input);
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        Check(inputSchema);
        return ((ITransformer)chain).GetRowToRowMapper(inputSchema);
    }

    void ICanSaveModel.Save(ModelSaveContext ctx) => ((ICanSaveModel)chain).Save(ctx);

    /// <summary>Closes the ONNX Runtime sessions.</summary>
    public void Dispose()
    {
        batching.Dispose();
        chain.Dispose();
    }

    private void Check(DataViewSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var (found, _) = TokenColumn.Find(schema, Options.InputColumnName, Info.Vocab, readsText: TextAlphabet.Of(Info) is not null);
        if (found != kind)
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"MinRnn: input column '{Options.InputColumnName}' holds {Describe(found)} but the component was fitted on {Describe(kind)}");
        if (order is not null && Options.LabelColumnName is { } label && schema.GetColumnOrNull(label) is { } column) order.CheckSameOrder(column);
    }

    private static string Describe(TokenKind kind) => kind == TokenKind.Text ? "text" : $"{kind} ids";
}
