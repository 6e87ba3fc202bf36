using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using MinRnn.ML;
using MinRnn.Onnx.Format;
using MinRnn.Tasks;

namespace MinRnn.Bench;

/// <summary>An exported model (e.g. a shipped one in models/) on the same rows six ways: through the ML.NET component
/// (`mlnet`: ApplySequenceModel, predictions, one ONNX Runtime call per row as ML.NET's OnnxTransformer makes them) against
/// a raw ONNX Runtime session one row per call (`ort-rows`), and the component with BatchSize = 64 (`mlnet-batch`) against
/// raw ONNX Runtime with 64 rows per call (`ort-batch`); and the same two on the rows cut to random lengths (`mlnet-ragged`,
/// `ort-ragged`: 64 rows per call, padded, with the lengths input). Rows: `Batch` examples of the model's task (from its
/// metadata) at the model's task length. All six on the case's provider (ML.NET's GpuDeviceId 0 and ONNX Runtime's CUDA
/// provider on device 0 for CUDA).</summary>
public static class MlNetBench
{
    public static readonly string[] Modes = ["mlnet", "ort-rows", "mlnet-batch", "ort-batch", "mlnet-ragged", "ort-ragged"];

    /// <summary>The raw ONNX Runtime mode each mode is compared with.</summary>
    public static string? Baseline(string mode) => mode switch { "mlnet" => "ort-rows", "mlnet-batch" => "ort-batch", "ort-batch" => "ort-rows", "mlnet-ragged" => "ort-ragged", _ => null };

    private const int BatchRows = 64;

    public static BenchResult Run(BenchCase c)
    {
        var file = c.ModelFile ?? throw new ArgumentException("bench: an ML.NET row needs a model file");
        var info = SequenceModelInfo.Read(file);
        var rows = info.Task == SequenceModelInfo.SelectiveCopyingTask ? CopyRows(info, c.Batch, seed: 0) : EvaluationRows(info, c.Batch, seed: 0);
        var time = rows[0].Length;
        if (c.Bench.EndsWith("-ragged")) rows = Ragged(rows, seed: 0);
        Action step = c.Bench switch
        {
            "mlnet-ragged" => MlNet(file, rows, BatchRows, c.Provider),
            "ort-ragged" => OrtBatch(file, rows, c.Provider),
            "mlnet" => MlNet(file, rows, batchSize: 1, c.Provider),
            "mlnet-batch" => MlNet(file, rows, BatchRows, c.Provider),
            "ort-rows" => OrtRows(file, rows, c.Provider),
            "ort-batch" => OrtBatch(file, rows, c.Provider),
            _ => throw new ArgumentException($"bench: unknown kind '{c.Bench}'"),
        };
        var result = Measurement.Run(c, step, rows.Sum(r => (double)r.Length));
        return result with { Model = info.Cell, Scan = info.Form, SeqLen = time, Dim = info.Dim, Hidden = 0, RowsPerSecond = c.Batch / (result.MedianMs / 1e3) };
    }

    private sealed class Row
    {
        [VectorType] public long[] Tokens { get; set; } = [];
    }

    private sealed class Output
    {
        public long[] Predictions { get; set; } = [];
    }

    private static Action MlNet(string file, long[][] rows, int batchSize, ExecutionProvider provider)
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Tokens = r }));
        var options = new SequenceModelOptions { ModelFile = file, BatchSize = batchSize, GpuDeviceId = provider == ExecutionProvider.Cuda ? 0 : null };
        var model = ml.Transforms.ApplySequenceModel(options).Fit(data);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => model.Dispose();   // removes ML.NET's temporary model files
        return () =>
        {
            foreach (var row in ml.Data.CreateEnumerable<Output>(model.Transform(data), reuseRowObject: true))
                GC.KeepAlive(row.Predictions);
        };
    }

    private static Action OrtRows(string file, long[][] rows, ExecutionProvider provider)
    {
        var session = Session(file, provider);
        var run = new RunOptions();
        return () =>
        {
            foreach (var row in rows)
            {
                using var tokens = OrtValue.CreateTensorValueFromMemory(row, [1, row.Length]);
                using var results = session.Run(run, [SequenceModelInfo.TokensInput], [tokens], [SequenceModelInfo.PredictionsOutput]);
                GC.KeepAlive(results[0].GetTensorDataAsSpan<long>().ToArray());
            }
        };
    }

    /// <summary>BatchRows rows per call in their order, right-padded to the longest of the call with its lengths (full rows:
    /// no padding; a file without the lengths input gets the padded rows alone).</summary>
    private static Action OrtBatch(string file, long[][] rows, ExecutionProvider provider)
    {
        var session = Session(file, provider);
        var withLengths = session.InputNames.Contains(Signature.Lengths) || session.OverridableInitializerMetadata.ContainsKey(Signature.Lengths);
        var batches = rows.Chunk(BatchRows).Select(b =>
        {
            var time = b.Max(r => r.Length);
            var tokens = new long[b.Length * time];
            for (var r = 0; r < b.Length; r++) b[r].CopyTo(tokens, r * time);
            return (Tokens: tokens, Rows: b.Length, Time: time, Lengths: b.Select(r => (long)r.Length).ToArray());
        }).ToList();
        var run = new RunOptions();
        return () =>
        {
            foreach (var (all, count, time, lengths) in batches)
            {
                using var tokens = OrtValue.CreateTensorValueFromMemory(all, [count, time]);
                using var lengthsValue = OrtValue.CreateTensorValueFromMemory(lengths, [count]);
                using var results = withLengths
                    ? session.Run(run, [SequenceModelInfo.TokensInput, Signature.Lengths], [tokens, lengthsValue], [SequenceModelInfo.PredictionsOutput])
                    : session.Run(run, [SequenceModelInfo.TokensInput], [tokens], [SequenceModelInfo.PredictionsOutput]);
                var predictions = results[0].GetTensorDataAsSpan<long>();
                for (var r = 0; r < count; r++) GC.KeepAlive(predictions.Slice(r * time, (int)lengths[r]).ToArray());
            }
        };
    }

    /// <summary>The rows cut to random lengths between a quarter of the longest and all of it (the same cut for both modes).</summary>
    private static long[][] Ragged(long[][] rows, int seed)
    {
        var random = new Random(seed);
        return [.. rows.Select(r => r[..random.Next(Math.Max(1, r.Length / 4), r.Length + 1)])];
    }

    /// <summary>ONNX Runtime's default session, as ML.NET's OnnxTransformer opens it (errors only in the log: the state
    /// inputs' zero defaults are meant), with the CUDA provider on device 0 first when asked for (ONNX Runtime then places
    /// each node it has a CUDA kernel for on the GPU, the rest on the CPU).</summary>
    private static InferenceSession Session(string file, ExecutionProvider provider)
    {
        using var options = new SessionOptions { LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        if (provider == ExecutionProvider.Cuda) options.AppendExecutionProvider_CUDA(0);
        return new InferenceSession(file, options);
    }

    /// <summary>Any other task: the first rows of its evaluation set (seed 0), drawn by the generator training uses.</summary>
    private static long[][] EvaluationRows(SequenceModelInfo info, int count, int seed)
    {
        ISequenceTask task;
        try { task = TaskJson.With(TaskRegistry.Find(info.Task).Quick, info.TaskOptions.Select(p => (p.Key, p.Value))); }
        catch (ArgumentException e) { throw new ArgumentException($"bench: cannot make rows of the model's task ({e.Message})"); }
        using var batch = task.Sample(count, Seeds.Evaluation(seed), TaskSplit.Evaluation);
        var (length, flat) = ((int)batch.Inputs.shape[1], batch.Inputs.data<long>().ToArray());
        return flat.Chunk(length).ToArray();
    }

    /// <summary>Selective-copying examples: K data tokens at sorted random positions of T noise tokens, then K markers.</summary>
    private static long[][] CopyRows(SequenceModelInfo info, int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ =>
        {
            var tokens = Enumerable.Repeat(info.NoiseToken, info.TaskSeqLen + info.TaskTokens).ToArray();
            var positions = Enumerable.Range(0, info.TaskSeqLen).OrderBy(_ => random.Next()).Take(info.TaskTokens).Order().ToArray();
            for (var k = 0; k < positions.Length; k++)
                (tokens[positions[k]], tokens[info.TaskSeqLen + k]) = (random.Next(1, info.Vocab - 1), info.MarkerToken);
            return tokens;
        }).ToArray();
    }
}
