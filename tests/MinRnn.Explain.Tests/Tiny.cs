using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Explain.Tests;

/// <summary>Small models and inputs: untrained (exactness does not need training) or briefly trained.</summary>
public static class Tiny
{
    public static readonly string[] Cells = ["mingru", "minlstm", "gru", "lstm"];

    public static readonly SelectiveCopying Task = new(SeqLen: 10, Tokens: 2, Vocab: 6);

    public static SequenceModel Model(string cell, ScalarType dtype, int layers = 2, double expansion = 1, long seed = 1, bool normalizeGates = true)
    {
        random.manual_seed(seed);
        var model = new SequenceModel(new ModelConfig(cell, Layers: layers, Vocab: Task.Vocab, Dim: 8, Expansion: expansion, NormalizeGates: normalizeGates));
        model.to(dtype);
        model.eval();
        return model;
    }

    public static CopyBatch Batch(int rows = 3, long seed = 5) => Task.Sample(rows, seed);

    /// <summary>The same small model trained for 200 steps on Task (float32, under a second), loaded in float64.</summary>
    public static SequenceModel Trained(string cell, bool normalizeGates = true)
    {
        using var tmp = new TempFolder();
        var dir = tmp[cell];
        var config = new RunConfig(new ModelConfig(cell, Layers: 2, Vocab: Task.Vocab, Dim: 8, NormalizeGates: normalizeGates), Task,
            new TrainOptions(Steps: 200, Batch: 32, EvalEvery: 200, CheckpointEvery: 200, EvalSize: 64, Device: "cpu"));
        Trainer.Run(config, dir);
        var model = Checkpoint.LoadModel(dir, CPU);
        model.to(float64);
        model.eval();
        return model;
    }
}
