using System.Text.Json;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using MinRnn.Models;
using MinRnn.Onnx.Export;
using MinRnn.Training;
using Onnx;

namespace MinRnn.Onnx.Runtime;

public enum OnnxProvider { Cpu, Cuda }

/// <summary>The requested execution provider cannot run here (e.g. CUDA without a GPU or without CUDA 13 libraries).</summary>
public sealed class ProviderUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What one call returns: logits (B·T·V, row-major), predictions (B·T) and every final state by output name.</summary>
public sealed record OnnxResult(int Batch, int Time, int Vocab, float[] Logits, long[] Predictions, IReadOnlyDictionary<string, float[]> States);

/// <summary>An exported MinRnn model in an ONNX Runtime session. Loading checks that the file is ONNX and a MinRnn
/// model (a one-line InvalidDataException otherwise); the provider is CPU or CUDA, with an optional fall-back.</summary>
public sealed class OnnxModel : IDisposable
{
    private readonly InferenceSession session;

    private OnnxModel(InferenceSession session, ModelConfig config, IReadOnlyDictionary<string, string> metadata, OnnxTaskInfo task, OnnxProvider provider)
    {
        this.session = session;
        Config = config;
        Metadata = metadata;
        Task = task;
        Provider = provider;
        States = OnnxSignature.States(config);
    }

    public ModelConfig Config { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The task the model was trained on: name, T, options and special tokens (from the metadata).</summary>
    public OnnxTaskInfo Task { get; }

    public IReadOnlyList<StateSpec> States { get; }

    /// <summary>The provider the session really runs on (CPU after a fall-back).</summary>
    public OnnxProvider Provider { get; }

    /// <param name="warn">Receives the fall-back warning when CUDA is unavailable and fallbackCpu is set.</param>
    public static OnnxModel Load(string path, OnnxProvider provider = OnnxProvider.Cpu, bool fallbackCpu = false, int threads = 0, Action<string>? warn = null)
    {
        // ORT's own log would print multi-line native errors (e.g. a missing libcublasLt) beside ours; every failure
        // that matters surfaces as an exception and becomes one line here.
        OrtEnv.Instance().EnvLogLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL;
        var bytes = File.ReadAllBytes(path);
        var (config, metadata, task) = ReadHeader(path, bytes);
        var (options, used) = SessionOptionsFor(provider, fallbackCpu, threads, warn);
        try
        {
            return new OnnxModel(new InferenceSession(bytes, options), config, metadata, task, used);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{path}: ONNX Runtime cannot load the model ({FirstLine(e.Message)})", e);
        }
        finally { options.Dispose(); }
    }

    /// <summary>Parses the protobuf and the MinRnn metadata, so a truncated or foreign file fails before ORT sees it.</summary>
    private static (ModelConfig, IReadOnlyDictionary<string, string>, OnnxTaskInfo) ReadHeader(string path, byte[] bytes)
    {
        ModelProto model;
        try { model = ModelProto.Parser.ParseFrom(bytes); }
        catch (InvalidProtocolBufferException e) { throw new InvalidDataException($"{path}: not an ONNX model or truncated ({FirstLine(e.Message)})", e); }
        if (model.Graph is null || model.IrVersion == 0)
            throw new InvalidDataException($"{path}: not an ONNX model (no graph)");
        var metadata = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        var tokens = model.Graph.Input.FirstOrDefault(i => i.Name == OnnxSignature.Tokens);
        if (!metadata.TryGetValue("model_config", out var json) || tokens is null)
            throw new InvalidDataException($"{path}: not a MinRnn model (no '{OnnxSignature.Tokens}' input or no MinRnn metadata)");
        try
        {
            var config = JsonSerializer.Deserialize<ModelConfig>(json, RunConfig.Json) ?? throw new JsonException("empty");
            config.Validate();
            return (config, metadata, OnnxTaskInfo.Read(metadata, config.Vocab, path));
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{path}: MinRnn metadata is corrupt ({FirstLine(e.Message)})", e);
        }
    }

    private static (SessionOptions, OnnxProvider) SessionOptionsFor(OnnxProvider provider, bool fallbackCpu, int threads, Action<string>? warn)
    {
        var options = NewOptions(threads);
        if (provider == OnnxProvider.Cpu) return (options, OnnxProvider.Cpu);
        try
        {
            options.AppendExecutionProvider_CUDA(0);
            return (options, OnnxProvider.Cuda);
        }
        catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
        {
            var reason = $"the CUDA execution provider is not available here ({FirstLine(e.Message)}); it needs an NVIDIA GPU with CUDA 13 and cuDNN 9 libraries";
            if (!fallbackCpu)
            {
                options.Dispose();
                throw new ProviderUnavailableException($"--provider cuda: {reason}; use --provider cpu or add --fallback-cpu", e);
            }
            warn?.Invoke($"warning: {reason}; running on the CPU");
            options.Dispose();
            return (NewOptions(threads), OnnxProvider.Cpu);
        }
    }

    /// <summary>Errors only: ORT warns about every state input that has a default (the zero initializer), by design here.
    /// No spinning: a Scan runs its steps on the calling thread, and intra-op workers spinning between the parallel
    /// ops only take cycles from it (measured: whole minGRU model 2× faster on a busy 2-core machine).</summary>
    private static SessionOptions NewOptions(int threads)
    {
        var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (threads > 0) (options.IntraOpNumThreads, options.InterOpNumThreads) = (threads, 1);
        return options;
    }

    /// <summary>Runs tokens (B·T, row-major, checked by the caller against the vocabulary) from the given states, by
    /// input name (missing states are zeros).</summary>
    public OnnxResult Run(long[] tokens, int batch, int time, IReadOnlyDictionary<string, float[]>? states = null)
    {
        if (tokens.Length != (long)batch * time) throw new ArgumentException($"tokens: {tokens.Length} values for batch {batch} × time {time}");
        var names = new List<string> { OnnxSignature.Tokens };
        var values = new List<OrtValue> { OrtValue.CreateTensorValueFromMemory(tokens, [batch, time]) };
        try
        {
            foreach (var s in States)
                if (states is not null && states.TryGetValue(s.Input, out var data))
                {
                    long[] shape = [batch, .. s.Tail];
                    if (data.Length != shape.Aggregate(1L, (p, d) => p * d))
                        throw new ArgumentException($"{s.Input}: {data.Length} values, expected ({string.Join(", ", shape)})");
                    names.Add(s.Input);
                    values.Add(OrtValue.CreateTensorValueFromMemory(data, shape));
                }
            string[] outputs = [OnnxSignature.Logits, OnnxSignature.Predictions, .. States.Select(s => s.Output)];
            using var run = new RunOptions();
            using var results = session.Run(run, names, values, outputs);
            var finals = States.Select((s, i) => (s.Output, results[2 + i].GetTensorDataAsSpan<float>().ToArray())).ToDictionary(p => p.Output, p => p.Item2);
            return new OnnxResult(batch, time, Config.Vocab, results[0].GetTensorDataAsSpan<float>().ToArray(),
                results[1].GetTensorDataAsSpan<long>().ToArray(), finals);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"ONNX Runtime failed to run the model ({FirstLine(e.Message)})", e);
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    public void Dispose() => session.Dispose();

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}
