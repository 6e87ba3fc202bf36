using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using MinRnn.ML.Classes;
using MinRnn.ML.Onnx;
using MinRnn.ML.Tokens;
using MinRnn.Onnx.Format;
using C = MinRnn.ML.Tokens.ComponentColumns;

namespace MinRnn.ML;

/// <summary>Applies a MinRnn sequence model (an ONNX file from <c>minrnn export</c>) to a column of token sequences (or,
/// for a model trained on text, of texts; for a numeric model, of float values, F per step). Reads the model's metadata, so
/// no shapes are passed; fitting looks at the input schema only, not at the data. A <c>classify</c> model also writes
/// ML.NET's multiclass columns (PredictedLabel, Score); a <c>forecast</c> model the Forecast column.</summary>
/// <remarks>The fitted component is a chain of ML.NET's own savable transforms — copy the token column, convert it to
/// int64 once (a custom mapping), check it against the vocabulary (a small ONNX graph made from the model's metadata, then
/// a custom mapping that fails the row), run the model (<c>OnnxTransformer</c>), name the outputs, drop the
/// intermediate columns — so <c>mlContext.Model.Save</c> stores everything, model bytes included, and
/// <c>mlContext.Model.Load</c> restores it in any process that can load this assembly. A text column becomes code points
/// (a custom mapping) that the rewritten model graph looks up in its alphabet; a classify answer's slot becomes the
/// PredictedLabel key through ML.NET's value mapping, which saves the key values with it.</remarks>
public sealed class SequenceModelEstimator : IEstimator<SequenceModelTransformer>
{
    private readonly ModelHeader header;
    private readonly byte[] checkGraph;
    private readonly IReadOnlyList<RequestedOutput> outputs;
    private readonly ModelClasses? classes;
    private readonly int[]? alphabet;
    private readonly ModelForecast? forecast;
    private readonly int? features;   // a numeric model's F (values per step); null for a token model
    private readonly TransformsCatalog transforms;   // the caller's: its MLContext's seed, log and cancellation apply

    internal SequenceModelEstimator(TransformsCatalog transforms, SequenceModelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.transforms = transforms;
        Options = options;
        ValidateNames(options);
        var bytes = File.Exists(options.ModelFile) ? File.ReadAllBytes(options.ModelFile)
            : throw new FileNotFoundException($"MinRnn: model file '{options.ModelFile}' does not exist", options.ModelFile);
        header = ModelHeader.Parse(bytes, options.ModelFile);
        Info = SequenceModelInfo.From(header);
        classes = ModelClasses.Of(Info);
        alphabet = TextAlphabet.Of(Info);
        forecast = ModelForecast.Of(Info);
        features = header.Input.Form == InputForm.Features ? header.Input.Features : null;
        outputs = Requested(options, Info, classes, forecast);
        if (outputs.Count == 0)
            throw new ArgumentException("MinRnn: no output asked for; set PredictionsColumnName, LogitsColumnName, LastLogitsColumnName, " +
                                        "FinalStateColumnPrefix or a task's column (Score, PredictedLabel, Forecast)");
        var duplicate = outputs.Select(UserName).GroupBy(n => n).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"MinRnn: two outputs are both named '{duplicate.Key}'");
        checkGraph = features is { } f ? ComponentGraphs.FeatureCheck(C.Features, C.Check, f) : ComponentGraphs.TokenCheck(C.Tokens, C.Check, Info.Vocab);
    }

    /// <summary>The options this estimator was made with.</summary>
    public SequenceModelOptions Options { get; }

    /// <summary>What the model file says about the model (cell, layers, vocabulary, task tokens, states).</summary>
    public SequenceModelInfo Info { get; }

    /// <summary>The input columns plus the outputs, typed as the fitted component types them.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a vector of token ids (or text,
    /// for a text model); a classify model's label key has another count of key values than the model has classes.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        TokenColumn.Find(inputSchema, Options.InputColumnName, Info.Vocab, alphabet is not null, features);
        if (classes is not null) CheckLabelCount(inputSchema);
        var names = classes?.Names;   // a shape carries types only: the model's names stand for any order's
        return outputs.Aggregate(new EstimatorChain<ITransformer>(), (chain, o) => chain.Append(o.Kind == ModelOutput.ClassSlot
                ? OutputDeclarations.DeclareKey(transforms, UserName(o), names!)
                : OutputDeclarations.Declare(transforms, UserName(o), OutputType(o), o.Kind == ModelOutput.Score ? names : null)))
            .GetOutputSchema(inputSchema);
    }

    /// <summary>How ML.NET's OnnxTransformer types an output: the batch dimension becomes 1, any other symbolic
    /// dimension (time; a state's growing one, the transformer's cache length) makes the vector variable-length.</summary>
    private DataViewType OutputType(RequestedOutput o) => o.Kind switch
    {
        ModelOutput.Predictions => new VectorDataViewType(NumberDataViewType.Int64),
        ModelOutput.Logits => new VectorDataViewType(NumberDataViewType.Single),
        ModelOutput.LastLogits => new VectorDataViewType(NumberDataViewType.Single, 1, Info.Vocab),
        ModelOutput.Score => new VectorDataViewType(NumberDataViewType.Single, classes!.Count),
        ModelOutput.Forecast => new VectorDataViewType(NumberDataViewType.Single, forecast!.Horizon),
        _ when o.State!.Grows => new VectorDataViewType(NumberDataViewType.Single),
        _ => new VectorDataViewType(NumberDataViewType.Single, new[] { 1 }.Concat(o.State!.Shape.Select(d => (int)d)).ToArray()),
    };

    /// <summary>Checks the input schema and the execution provider and builds the component; reads no rows.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or not a vector of token ids (or text, for
    /// a text model); a classify model's label key names other classes than the model's.</exception>
    /// <exception cref="CudaUnavailableException">CUDA was asked for, cannot run here, and <see cref="SequenceModelOptions.FallbackToCpu"/> is off.</exception>
    public SequenceModelTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (kind, type) = TokenColumn.Find(input.Schema, Options.InputColumnName, Info.Vocab, alphabet is not null, features);
        var label = Options.LabelColumnName is { } name ? input.Schema.GetColumnOrNull(name) : null;
        var head = classes is null ? null
            : new ClassHead(classes, label is { } key && ClassOrder.IsKeyWithValues(key) ? ClassOrder.FromLabel(classes, key) : ClassOrder.Model(classes));
        var (cuda, note) = OnnxSessions.Choose(Options.GpuDeviceId, Options.FallbackToCpu, "MinRnn: ", "set FallbackToCpu or leave GpuDeviceId unset");
        var provider = cuda is null ? ExecutionProvider.Cpu : ExecutionProvider.Cuda;
        var modelInput = kind switch { TokenKind.Text => C.CodePoints, TokenKind.Features => C.CheckedFeatures, _ => C.CheckedTokens };
        var textAlphabet = kind == TokenKind.Text ? alphabet : null;
        var modelGraph = ComponentGraphs.Rewrite(header.Model, modelInput, outputs, Info.Vocab, ragged: false, head, textAlphabet, features, forecast);
        var ragged = header.AcceptsLengths;
        var batchGraph = ragged ? ComponentGraphs.Rewrite(header.Model, modelInput, outputs, Info.Vocab, ragged: true, head, textAlphabet, features, forecast) : modelGraph;
        var chain = (TransformerChain<ITransformer>)Pipeline(kind, type, cuda, modelGraph, modelInput, head?.Order).Fit(input);
        var batching = new Batching.BatchPlan(batchGraph, modelInput, outputs, outputs.Select(UserName).ToList(), cuda, Options.BatchSize, Info.Vocab,
            ragged, Options.InputColumnName, kind, features ?? 1);
        return new SequenceModelTransformer(chain, batching, Options, Info, kind, provider, note, head?.Order);
    }

    private IEstimator<ITransformer> Pipeline(TokenKind kind, DataViewType type, int? gpuDeviceId, byte[] modelGraph, string modelInput,
        ClassOrder? order)
    {
        var steps = new List<IEstimator<ITransformer>> { transforms.CopyColumns(C.Input, Options.InputColumnName), TokenColumn.Conversion(transforms, kind, type) };
        var dropped = new List<string> { C.Input, modelInput };
        if (kind == TokenKind.Features)
        {
            steps.Add(transforms.ApplyOnnxModel(new OnnxOptions
            {
                ModelFile = GraphFiles.Write(checkGraph), InputColumns = [C.Features], OutputColumns = [C.Check],
                ShapeDictionary = new Dictionary<string, int[]> { [C.Features] = [1, -1] },
            }));
            steps.Add(transforms.CustomMapping(new FeatureGuard().GetMapping(), FeatureContracts.Guard));
            dropped.AddRange([C.Features, C.Check]);
        }
        else if (kind != TokenKind.Text)
        {
            steps.Add(transforms.ApplyOnnxModel(new OnnxOptions
            {
                ModelFile = GraphFiles.Write(checkGraph), InputColumns = [C.Tokens], OutputColumns = [C.Check],
                ShapeDictionary = new Dictionary<string, int[]> { [C.Tokens] = [1, -1] },
            }));
            steps.Add(transforms.CustomMapping(new TokenGuard().GetMapping(), TokenContracts.Guard));
            dropped.AddRange([C.Tokens, C.Check]);
        }
        steps.Add(transforms.ApplyOnnxModel(new OnnxOptions
        {
            ModelFile = GraphFiles.Write(modelGraph), InputColumns = [modelInput], OutputColumns = outputs.Select(o => o.GraphName).ToArray(),
            ShapeDictionary = new Dictionary<string, int[]> { [modelInput] = [1, -1] }, GpuDeviceId = gpuDeviceId,
        }));
        foreach (var o in outputs)
        {
            if (o.Kind != ModelOutput.ClassSlot) { steps.Add(transforms.CopyColumns(UserName(o), o.GraphName)); continue; }
            // the slot (int64 [1]) → a scalar → the key of the label's (or the model's) classes, key values included
            steps.Add(transforms.CustomMapping(new ClassSlotFromVector().GetMapping(), TokenContracts.ClassSlot));
            steps.Add(order!.SlotToKey(transforms, UserName(o), C.ClassSlot));
            dropped.Add(C.ClassSlot);
        }
        steps.Add(transforms.DropColumns([.. dropped, .. outputs.Select(o => o.GraphName)]));
        return steps.Aggregate(new EstimatorChain<ITransformer>(), (chain, step) => chain.Append(step));
    }

    private string UserName(RequestedOutput o) => o.Kind switch
    {
        ModelOutput.Predictions => Options.PredictionsColumnName!,
        ModelOutput.Logits => Options.LogitsColumnName!,
        ModelOutput.LastLogits => Options.LastLogitsColumnName!,
        ModelOutput.Score => Options.ScoreColumnName!,
        ModelOutput.ClassSlot => Options.PredictedLabelColumnName!,
        ModelOutput.Forecast => Options.ForecastColumnName!,
        _ => Options.FinalStateColumnPrefix + o.State!.Name,
    };

    private static List<RequestedOutput> Requested(SequenceModelOptions o, SequenceModelInfo info, ModelClasses? classes, ModelForecast? forecast)
    {
        var list = new List<RequestedOutput>();
        if (o.PredictionsColumnName is not null) list.Add(new(ModelOutput.Predictions, null, C.OutputPrefix + "predictions"));
        if (o.LogitsColumnName is not null) list.Add(new(ModelOutput.Logits, null, C.OutputPrefix + "logits"));
        if (o.LastLogitsColumnName is not null) list.Add(new(ModelOutput.LastLogits, null, C.OutputPrefix + "last_logits"));
        if (o.FinalStateColumnPrefix is not null)
            list.AddRange(info.States.Select(s => new RequestedOutput(ModelOutput.State, s, C.OutputPrefix + s.OutputName)));
        if (classes is not null && o.ScoreColumnName is not null) list.Add(new(ModelOutput.Score, null, C.Score));
        if (classes is not null && o.PredictedLabelColumnName is not null) list.Add(new(ModelOutput.ClassSlot, null, C.ClassSlots));
        if (forecast is not null && o.ForecastColumnName is not null) list.Add(new(ModelOutput.Forecast, null, C.OutputPrefix + "forecast"));
        return list;
    }

    /// <summary>A label key in a schema shape must have as many values as the model has classes (the names are matched at Fit).</summary>
    private void CheckLabelCount(SchemaShape schema)
    {
        if (Options.LabelColumnName is not { } name || schema.LastOrDefault(c => c.Name == name) is not { Name: not null } column) return;
        if (column.Kind == SchemaShape.Column.VectorKind.Scalar && column.ItemType is KeyDataViewType key && key.Count != (ulong)classes!.Count
            && column.Annotations.Any(a => a.Name == AnnotationKinds.KeyValues))
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"MinRnn: label column '{name}' is a key of {key.Count} values but the model has {classes.Count} classes [{string.Join(", ", classes.Names)}]");
    }

    private static void ValidateNames(SequenceModelOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.ModelFile)) throw new ArgumentException("MinRnn: ModelFile is empty", nameof(o.ModelFile));
        var names = new (string Option, string? Value)[]
        {
            (nameof(o.InputColumnName), o.InputColumnName), (nameof(o.PredictionsColumnName), o.PredictionsColumnName),
            (nameof(o.LogitsColumnName), o.LogitsColumnName), (nameof(o.LastLogitsColumnName), o.LastLogitsColumnName),
            (nameof(o.FinalStateColumnPrefix), o.FinalStateColumnPrefix), (nameof(o.PredictedLabelColumnName), o.PredictedLabelColumnName),
            (nameof(o.ScoreColumnName), o.ScoreColumnName), (nameof(o.LabelColumnName), o.LabelColumnName),
            (nameof(o.ForecastColumnName), o.ForecastColumnName),
        };
        foreach (var (option, value) in names)
        {
            if (value is not null && string.IsNullOrWhiteSpace(value) && option != nameof(o.FinalStateColumnPrefix))
                throw new ArgumentException($"MinRnn: {option} is empty (null turns an output off)", option);
            if (value is not null && value.StartsWith(C.Prefix, StringComparison.Ordinal))
                throw new ArgumentException($"MinRnn: {option} '{value}' starts with '{C.Prefix}', which the component reserves for its own columns", option);
        }
        if (o.InputColumnName is null) throw new ArgumentException("MinRnn: InputColumnName is null", nameof(o.InputColumnName));
        if (o.BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(o.BatchSize), $"MinRnn: BatchSize {o.BatchSize} is below 1");
        if (o.GpuDeviceId is < 0) throw new ArgumentOutOfRangeException(nameof(o.GpuDeviceId), $"MinRnn: GpuDeviceId {o.GpuDeviceId} is negative");
    }
}
