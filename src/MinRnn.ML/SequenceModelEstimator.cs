using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using MinRnn.ML.Onnx;
using MinRnn.ML.Tokens;
using MinRnn.Onnx.Format;
using C = MinRnn.ML.Tokens.ComponentColumns;

namespace MinRnn.ML;

/// <summary>Applies a MinRnn sequence model (an ONNX file from <c>minrnn export</c>) to a column of token sequences.
/// Reads the model's metadata, so no shapes are passed; fitting looks at the input schema only, not at the data.</summary>
/// <remarks>The fitted component is a chain of ML.NET's own savable transforms — copy the token column, convert it to
/// int64 once (a custom mapping), check it against the vocabulary (a small ONNX graph made from the model's metadata, then
/// a custom mapping that fails the row), run the model (<c>OnnxTransformer</c>), name the outputs, drop the
/// intermediate columns — so <c>mlContext.Model.Save</c> stores everything, model bytes included, and
/// <c>mlContext.Model.Load</c> restores it in any process that can load this assembly.</remarks>
public sealed class SequenceModelEstimator : IEstimator<SequenceModelTransformer>
{
    private readonly byte[] checkGraph;
    private readonly byte[] modelGraph;
    private readonly byte[] batchGraph;   // with the lengths input when the file has it (BatchPlan pads rows of any lengths)
    private readonly bool ragged;
    private readonly IReadOnlyList<RequestedOutput> outputs;

    internal SequenceModelEstimator(SequenceModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        ValidateNames(options);
        var bytes = File.Exists(options.ModelFile) ? File.ReadAllBytes(options.ModelFile)
            : throw new FileNotFoundException($"MinRnn: model file '{options.ModelFile}' does not exist", options.ModelFile);
        var header = ModelHeader.Parse(bytes, options.ModelFile);
        Info = SequenceModelInfo.From(header);
        outputs = Requested(options, Info);
        var duplicate = outputs.Select(UserName).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"MinRnn: two outputs are both named '{duplicate.Key}'");
        checkGraph = ComponentGraphs.TokenCheck(C.Tokens, C.Check, Info.Vocab);
        modelGraph = ComponentGraphs.Rewrite(header.Model, C.CheckedTokens, outputs, Info.Vocab);
        ragged = header.AcceptsLengths;
        batchGraph = ragged ? ComponentGraphs.Rewrite(header.Model, C.CheckedTokens, outputs, Info.Vocab, ragged: true) : modelGraph;
    }

    /// <summary>The options this estimator was made with.</summary>
    public SequenceModelOptions Options { get; }

    /// <summary>What the model file says about the model (cell, layers, vocabulary, task tokens, states).</summary>
    public SequenceModelInfo Info { get; }

    /// <summary>The input columns plus the outputs, typed as the fitted component types them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a vector of token ids.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        TokenColumn.Find(inputSchema, Options.InputColumnName, Info.Vocab);
        var ml = new MLContext(seed: 0);
        return outputs.Aggregate(new EstimatorChain<ITransformer>(), (chain, o) => chain.Append(OutputDeclarations.Declare(ml, UserName(o), OutputType(o))))
            .GetOutputSchema(inputSchema);
    }

    /// <summary>How ML.NET's OnnxTransformer types an output: the batch dimension becomes 1, any other symbolic
    /// dimension (time; a state's growing one, the transformer's cache length) makes the vector variable-length.</summary>
    private DataViewType OutputType(RequestedOutput o) => o.Kind switch
    {
        ModelOutput.Predictions => new VectorDataViewType(NumberDataViewType.Int64),
        ModelOutput.Logits => new VectorDataViewType(NumberDataViewType.Single),
        ModelOutput.LastLogits => new VectorDataViewType(NumberDataViewType.Single, 1, Info.Vocab),
        _ when o.State!.Grows => new VectorDataViewType(NumberDataViewType.Single),
        _ => new VectorDataViewType(NumberDataViewType.Single, new[] { 1 }.Concat(o.State!.Shape.Select(d => (int)d)).ToArray()),
    };

    /// <summary>Checks the input schema and the execution provider and builds the component; reads no rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a vector of token ids.</exception>
    /// <exception cref="CudaUnavailableException">CUDA was asked for, cannot run here, and <see cref="SequenceModelOptions.FallbackToCpu"/> is off.</exception>
    public SequenceModelTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (kind, type) = TokenColumn.Find(input.Schema, Options.InputColumnName, Info.Vocab);
        var (provider, note) = (ExecutionProvider.Cpu, (string?)null);
        if (Options.GpuDeviceId is { } device)
        {
            note = OnnxSessions.WhyCudaUnavailable(device);
            if (note is null) provider = ExecutionProvider.Cuda;
            else if (!Options.FallbackToCpu) throw new CudaUnavailableException($"MinRnn: {note}; set FallbackToCpu or leave GpuDeviceId unset");
            else note += "; running on the CPU";
        }
        var cuda = provider == ExecutionProvider.Cuda ? Options.GpuDeviceId : null;
        var chain = (TransformerChain<ITransformer>)Pipeline(new MLContext(seed: 0), kind, type, cuda).Fit(input);
        var batching = new Batching.BatchPlan(batchGraph, outputs, outputs.Select(UserName).ToList(), cuda, Options.BatchSize, Info.Vocab,
            ragged, Options.InputColumnName, kind);
        return new SequenceModelTransformer(chain, batching, Options, Info, kind, provider, note);
    }

    private IEstimator<ITransformer> Pipeline(MLContext ml, TokenKind kind, DataViewType type, int? gpuDeviceId)
    {
        var steps = new List<IEstimator<ITransformer>>
        {
            ml.Transforms.CopyColumns(C.Input, Options.InputColumnName),
            TokenColumn.Conversion(ml, kind, type),
            ml.Transforms.ApplyOnnxModel(new OnnxOptions
            {
                ModelFile = GraphFiles.Write(checkGraph), InputColumns = [C.Tokens], OutputColumns = [C.Check],
                ShapeDictionary = new Dictionary<string, int[]> { [C.Tokens] = [1, -1] },
            }),
            ml.Transforms.CustomMapping(new TokenGuard().GetMapping(), TokenContracts.Guard),
            ml.Transforms.ApplyOnnxModel(new OnnxOptions
            {
                ModelFile = GraphFiles.Write(modelGraph), InputColumns = [C.CheckedTokens], OutputColumns = outputs.Select(o => o.GraphName).ToArray(),
                ShapeDictionary = new Dictionary<string, int[]> { [C.CheckedTokens] = [1, -1] }, GpuDeviceId = gpuDeviceId,
            }),
        };
        steps.AddRange(outputs.Select(o => ml.Transforms.CopyColumns(UserName(o), o.GraphName)));
        steps.Add(ml.Transforms.DropColumns([C.Input, C.Tokens, C.Check, C.CheckedTokens, .. outputs.Select(o => o.GraphName)]));
        return steps.Aggregate(new EstimatorChain<ITransformer>(), (chain, step) => chain.Append(step));
    }

    private string UserName(RequestedOutput o) => o.Kind switch
    {
        ModelOutput.Predictions => Options.PredictionsColumnName!,
        ModelOutput.Logits => Options.LogitsColumnName!,
        ModelOutput.LastLogits => Options.LastLogitsColumnName!,
        _ => Options.FinalStateColumnPrefix + o.State!.Name,
    };

    private static List<RequestedOutput> Requested(SequenceModelOptions o, SequenceModelInfo info)
    {
        var list = new List<RequestedOutput>();
        if (o.PredictionsColumnName is not null) list.Add(new(ModelOutput.Predictions, null, C.OutputPrefix + "predictions"));
        if (o.LogitsColumnName is not null) list.Add(new(ModelOutput.Logits, null, C.OutputPrefix + "logits"));
        if (o.LastLogitsColumnName is not null) list.Add(new(ModelOutput.LastLogits, null, C.OutputPrefix + "last_logits"));
        if (o.FinalStateColumnPrefix is not null)
            list.AddRange(info.States.Select(s => new RequestedOutput(ModelOutput.State, s, C.OutputPrefix + s.OutputName)));
        return list;
    }

    private static void ValidateNames(SequenceModelOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.ModelFile)) throw new ArgumentException("MinRnn: ModelFile is empty", nameof(o.ModelFile));
        var names = new (string Option, string? Value)[]
        {
            (nameof(o.InputColumnName), o.InputColumnName), (nameof(o.PredictionsColumnName), o.PredictionsColumnName),
            (nameof(o.LogitsColumnName), o.LogitsColumnName), (nameof(o.LastLogitsColumnName), o.LastLogitsColumnName),
            (nameof(o.FinalStateColumnPrefix), o.FinalStateColumnPrefix),
        };
        foreach (var (option, value) in names)
        {
            if (value is not null && string.IsNullOrWhiteSpace(value) && option != nameof(o.FinalStateColumnPrefix))
                throw new ArgumentException($"MinRnn: {option} is empty (null turns an output off)", option);
            if (value is not null && value.StartsWith(C.Prefix, StringComparison.Ordinal))
                throw new ArgumentException($"MinRnn: {option} '{value}' starts with '{C.Prefix}', which the component reserves for its own columns", option);
        }
        if (o.InputColumnName is null) throw new ArgumentException("MinRnn: InputColumnName is null", nameof(o.InputColumnName));
        if (names.Skip(1).All(n => n.Value is null))
            throw new ArgumentException("MinRnn: no output asked for; set PredictionsColumnName, LogitsColumnName, LastLogitsColumnName or FinalStateColumnPrefix");
        if (o.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(o.BatchSize), $"MinRnn: BatchSize {o.BatchSize} is below 1");
        if (o.GpuDeviceId is < 0) throw new ArgumentOutOfRangeException(nameof(o.GpuDeviceId), $"MinRnn: GpuDeviceId {o.GpuDeviceId} is negative");
    }
}
