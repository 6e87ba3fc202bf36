using MinRnn.Models;
using MinRnn.Tasks;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests;

/// <summary>Small untrained models and inputs: exactness does not need training.</summary>
public static class Tiny
{
    public static readonly string[] Cells = ["mingru", "minlstm", "gru", "lstm"];

    public static readonly SelectiveCopying Task = new(SeqLen: 10, Tokens: 2, Vocab: 6);

    public static SequenceModel Model(string cell, ScalarType dtype, int layers = 2, double expansion = 1, long seed = 1)
    {
        random.manual_seed(seed);
        var model = new SequenceModel(new ModelConfig(cell, Layers: layers, Vocab: Task.Vocab, Dim: 8, Expansion: expansion));
        model.to(dtype);
        model.eval();
        return model;
    }

    public static CopyBatch Batch(int rows = 3, long seed = 5) => Task.Sample(rows, seed);

    public static string TempDir()
    {
        var dir = Path.Combine(Path.GetTempPath(), "minrnn-explain-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
