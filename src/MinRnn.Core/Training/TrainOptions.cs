using System.Text.Json.Serialization;

namespace MinRnn.Training;

public enum LrSchedule { Constant, Cosine }

/// <summary>Optimisation settings of one run (AdamW, clipping, schedule, evaluation cadence, seed).</summary>
/// <param name="Steps">Optimizer steps in total.</param>
/// <param name="Batch">Sequences per step.</param>
/// <param name="Lr">Peak AdamW learning rate.</param>
/// <param name="WeightDecay">AdamW decoupled weight decay.</param>
/// <param name="Clip">Gradient-norm clip (0 = off).</param>
/// <param name="WarmupSteps">Linear warm-up from 0 to Lr.</param>
/// <param name="Schedule">After warm-up: constant, or cosine decay to 0 at the last step.</param>
/// <param name="EvalEvery">Evaluate (and append a metrics line) every this many steps, and at the end.</param>
/// <param name="CheckpointEvery">Write the checkpoint every this many steps, and at the end.</param>
/// <param name="EvalSize">Sequences in the fixed evaluation set.</param>
/// <param name="Seed">Run seed: model initialisation, training batches and evaluation set derive from it.</param>
/// <param name="Device">auto | cpu | cuda (auto = CUDA when available).</param>
/// <param name="InitFrom">A .safetensors file whose weights replace the random initialisation (not on resume); null = none.</param>
public sealed record TrainOptions(
    int Steps = 1500,
    int Batch = 64,
    double Lr = 3e-3,
    double WeightDecay = 0.05,
    double Clip = 1.0,
    int WarmupSteps = 0,
    [property: JsonConverter(typeof(JsonStringEnumConverter<LrSchedule>))] LrSchedule Schedule = LrSchedule.Constant,
    int EvalEvery = 100,
    int CheckpointEvery = 100,
    int EvalSize = 512,
    long Seed = 0,
    string Device = "auto",
    string? InitFrom = null)
{
    /// <summary>Learning rate at a 1-based step.</summary>
    public double LearningRate(int step)
    {
        if (step <= WarmupSteps) return Lr * step / Math.Max(1, WarmupSteps);
        if (Schedule == LrSchedule.Constant) return Lr;
        var progress = (double)(step - WarmupSteps) / Math.Max(1, Steps - WarmupSteps);
        return Lr * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }

    public void Validate()
    {
        if (Steps < 1) throw new ArgumentException($"steps: must be ≥ 1 (got {Steps})");
        if (Batch < 1) throw new ArgumentException($"batch: must be ≥ 1 (got {Batch})");
        if (!(Lr > 0)) throw new ArgumentException($"lr: must be > 0 (got {Lr})");
        if (WeightDecay < 0) throw new ArgumentException($"weight-decay: must be ≥ 0 (got {WeightDecay})");
        if (Clip < 0) throw new ArgumentException($"clip: must be ≥ 0 (got {Clip})");
        if (WarmupSteps < 0) throw new ArgumentException($"warmup: must be ≥ 0 (got {WarmupSteps})");
        if (EvalEvery < 1) throw new ArgumentException($"eval-every: must be ≥ 1 (got {EvalEvery})");
        if (CheckpointEvery < 1) throw new ArgumentException($"checkpoint-every: must be ≥ 1 (got {CheckpointEvery})");
        if (EvalSize < 1) throw new ArgumentException($"eval-size: must be ≥ 1 (got {EvalSize})");
        if (Device is not ("auto" or "cpu" or "cuda")) throw new ArgumentException($"device: '{Device}' is not one of auto|cpu|cuda");
    }
}
