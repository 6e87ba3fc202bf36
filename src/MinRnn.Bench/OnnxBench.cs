using MinRnn.Models;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Runtime;
using MinRnn.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Bench;

/// <summary>Whole-model inference in ONNX Runtime (the case's provider: CPU or CUDA): a randomly initialised SequenceModel (vocab 16, the case's d and
/// h = d·e, `Layers` blocks) exported in one form (scan or chunked for min cells and mamba, the kind's one form otherwise: the native GRU/LSTM
/// ops, the transformer's attention or fused-attention)
/// and run on B × T random tokens from the zero state.</summary>
public static class OnnxBench
{
    public static BenchResult Run(BenchCase c)
    {
        random.manual_seed(0);
        var config = new ModelConfig(c.Model, Layers: c.Layers, Vocab: 16, Dim: c.Dim, Expansion: (double)c.Hidden / c.Dim);
        var options = OnnxExporter.OptionsFor(c.Model, c.OnnxForm);
        var form = OnnxExporter.Form(c.Model, options);
        var path = Path.Combine(Path.GetTempPath(), $"minrnn-bench-{Environment.ProcessId}.onnx");
        try
        {
            using (var model = new SequenceModel(config))
                OnnxExporter.Export(model, new SelectiveCopying(Vocab: 16), options, path);
            using var onnx = OnnxModel.Load(path, c.Provider, threads: c.Threads);
            using var tokens = randint(0, 16, [c.Batch, c.SeqLen], dtype: int64);
            var data = tokens.data<long>().ToArray();
            return Measurement.Run(c, () => onnx.Run(data, c.Batch, c.SeqLen), (double)c.Batch * c.SeqLen) with { Scan = form };
        }
        finally
        {
            if (File.Exists(path)) File.Delete(path);
        }
    }
}
