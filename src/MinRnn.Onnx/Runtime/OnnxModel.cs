using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using MinRnn.ML;
using MinRnn.Models;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Format;
using MinRnn.Runtime;
using MinRnn.Training;

namespace MinRnn.Onnx.Runtime;

/// <summary>What one call returns: logits (B·T·V, row-major), predictions (B·T) and every final state by output name.</summary>
public sealed record OnnxResult(int Batch, int Time, int Vocab, float[] Logits, long[] Predictions, IReadOnlyDictionary<string, float[]> States);

/// <summary>An exported MinRnn model in an ONNX Runtime session. Loading checks that the file is ONNX and a MinRnn
/// model (a one-line BadFileException otherwise: bad input); the provider is CPU or CUDA, with an optional fall-back.</summary>
public sealed class OnnxModel : IDisposable
{
    private readonly SequenceSession session;

    private OnnxModel(SequenceSession session, ModelConfig config, ModelHeader header, ExecutionProvider provider)
    {
        this.session = session;
        Config = config;
        Metadata = header.Metadata;
        Task = header.Task;
        Provider = provider;
        AcceptsLengths = header.AcceptsLengths;
        Input = header.Input;
        States = OnnxSignature.States(config);
    }

    /// <summary>What the model reads: token ids, or numeric steps of F features (<see cref="InputHeader.Features"/>).</summary>
    public InputHeader Input { get; }

    public ModelConfig Config { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The task the model was trained on: name, T, options and special tokens (from the metadata).</summary>
    public TaskHeader Task { get; }

    public IReadOnlyList<StateSpec> States { get; }

    /// <summary>Whether the file has the lengths input (exported before it existed: full rows only).</summary>
    public bool AcceptsLengths { get; }

    /// <summary>The provider the session really runs on (CPU after a fall-back).</summary>
    public ExecutionProvider Provider { get; }

    /// <param name="warn">Receives the fall-back warning when CUDA is unavailable and fallbackCpu is set.</param>
    public static OnnxModel Load(string path, ExecutionProvider provider = ExecutionProvider.Cpu, bool fallbackCpu = false, int threads = 0, Action<string>? warn = null)
    {
        // ORT's own log would print multi-line native errors (e.g. a missing libcublasLt) beside ours; every failure
        // that matters surfaces as an exception and becomes one line here.
        OrtEnv.Instance().EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        var bytes = File.ReadAllBytes(path);
        var header = ReadHeader(bytes, path);
        var config = ReadConfig(header, path);
        var (device, warning) = OnnxSessions.Choose(provider == ExecutionProvider.Cuda ? 0 : null, fallbackCpu, "--provider cuda: ",
            "use --provider cpu or add --fallback-cpu");
        if (warning is not null) warn?.Invoke("warning: " + warning);
        try
        {
            return new OnnxModel(new SequenceSession(bytes, device, threads), config, header, device is null ? ExecutionProvider.Cpu : ExecutionProvider.Cuda);
        }
        catch (OnnxRuntimeException e)
        {
            throw new BadFileException($"{path}: ONNX Runtime cannot load the model ({ErrorText.FirstLine(e.Message)})", e);
        }
    }

    /// <summary>The MinRnn header of a file the user named; a file that is not ONNX, truncated or not a MinRnn model is a
    /// BadFileException naming it (the format's reader, shared with MinRnn.ML, reports it as InvalidDataException).</summary>
    public static ModelHeader ReadHeader(string path) => ReadHeader(File.ReadAllBytes(path), path);

    private static ModelHeader ReadHeader(byte[] bytes, string path)
    {
        try { return ModelHeader.Parse(bytes, path); }
        catch (InvalidDataException e) { throw new BadFileException(e.Message, e); }
    }

    private static ModelConfig ReadConfig(ModelHeader header, string path)
    {
        try
        {
            var config = JsonSerializer.Deserialize<ModelConfig>(header.ModelConfigJson, RunConfig.Json) ?? throw new JsonException("empty");
            config.Validate();
            return config;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new BadFileException($"{path}: MinRnn metadata is corrupt ({ErrorText.FirstLine(e.Message)})", e);
        }
    }

    /// <summary>Runs tokens (B·T, row-major, checked by the caller against the vocabulary) from the given states, by
    /// input name (missing states take their defaults: zeros, an empty cache). With `lengths` (B), rows are right-padded: row b's real tokens are its first
    /// lengths[b]; its logits after them are unspecified and its final states are those after its last real token.</summary>
    public OnnxResult Run(long[] tokens, int batch, int time, IReadOnlyDictionary<string, float[]>? states = null, long[]? lengths = null)
    {
        if (Input.Form != InputForm.Tokens) throw new ArgumentException($"tokens: this model reads {Input}, not token ids");
        if (tokens.Length != (long)batch * time) throw new ArgumentException($"tokens: {tokens.Length} values for batch {batch} × time {time}");
        return Run(OrtValue.CreateTensorValueFromMemory(tokens, [batch, time]), batch, time, states, lengths);
    }

    /// <summary>Runs numeric steps (B·T·F, row-major: row, step, feature) of a model that reads them, as
    /// <see cref="Run(long[], int, int, IReadOnlyDictionary{string, float[]}?, long[]?)"/> runs tokens; the graph
    /// standardises them with the model's own mean and standard deviation.</summary>
    public OnnxResult Run(float[] features, int batch, int time, IReadOnlyDictionary<string, float[]>? states = null, long[]? lengths = null)
    {
        if (Input.Features is not { } f) throw new ArgumentException($"features: this model reads {Input}, not numeric steps");
        if (features.Length != (long)batch * time * f)
            throw new ArgumentException($"features: {features.Length} values for batch {batch} × time {time} × F {f}");
        return Run(OrtValue.CreateTensorValueFromMemory(features, [batch, time, f]), batch, time, states, lengths);
    }

    /// <summary>One call on the sequence input, made by the caller and disposed here with the other inputs.</summary>
    private OnnxResult Run(OrtValue input, int batch, int time, IReadOnlyDictionary<string, float[]>? states, long[]? lengths)
    {
        var given = new List<(string Name, OrtValue Value)>();
        try
        {
            if (lengths is not null)
            {
                RaggedLengths.Check(lengths, batch, time);
                if (!AcceptsLengths) throw new ArgumentException("lengths: this file was exported before the lengths input existed; re-export it (minrnn export) to run rows of different lengths");
            }
            foreach (var s in States)
                if (states is not null && states.TryGetValue(s.Input, out var data))
                    given.Add((s.Input, OrtValue.CreateTensorValueFromMemory(data, s.Shape(batch, data.Length))));
            string[] outputs = [OnnxSignature.Logits, OnnxSignature.Predictions, .. States.Select(s => s.Output)];
            using var results = session.Run(Input.Name, input, lengths, outputs, given);
            var finals = States.Select((s, i) => (s.Output, results[2 + i].GetTensorDataAsSpan<float>().ToArray())).ToDictionary(p => p.Output, p => p.Item2);
            return new OnnxResult(batch, time, Config.Vocab, results[0].GetTensorDataAsSpan<float>().ToArray(),
                results[1].GetTensorDataAsSpan<long>().ToArray(), finals);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"ONNX Runtime failed to run the model ({ErrorText.FirstLine(e.Message)})", e);
        }
        finally
        {
            input.Dispose();
            foreach (var (_, v) in given) v.Dispose();
        }
    }

    /// <summary>Token rows of any lengths, `batchSize` rows per call (PaddedBatches): each row's logits and predictions at its
    /// own length. Files without the lengths input run padded rows too — a row's outputs at its real steps never read
    /// what follows them.</summary>
    public RowPrediction[] Predict(IReadOnlyList<long[]> rows, int batchSize) =>
        PaddedBatches.Run(rows, 1, batchSize, Config.Vocab, b =>
        {
            var r = Run(b.Values, b.Batch, b.Time, lengths: AcceptsLengths ? b.Lengths : null);
            return (r.Logits, r.Predictions);
        });

    /// <summary>Rows of numeric steps of any lengths (each T_row·F values, row-major), as <see cref="Predict(IReadOnlyList{long[]}, int)"/>.</summary>
    public RowPrediction[] Predict(IReadOnlyList<float[]> rows, int batchSize)
    {
        var f = Input.Features ?? throw new ArgumentException($"features: this model reads {Input}, not numeric steps");
        return PaddedBatches.Run(rows, f, batchSize, Config.Vocab, b =>
        {
            var r = Run(b.Values, b.Batch, b.Time, lengths: AcceptsLengths ? b.Lengths : null);
            return (r.Logits, r.Predictions);
        });
    }

    public void Dispose() => session.Dispose();
}
