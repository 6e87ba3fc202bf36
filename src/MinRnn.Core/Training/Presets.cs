using MinRnn.Models;
using MinRnn.Tasks;

namespace MinRnn.Training;

/// <summary>Named starting points for a run; command-line options override single fields.</summary>
public static class Presets
{
    public static readonly string[] Names = ["quick", "paper", "char", LmPreset.Name];

    /// <summary>
    /// quick — a CPU setting: selective copying T = 64, K = 4, d = 64, batch 64, AdamW 3e-3 (a 2-layer minGRU passes
    /// 0.90 test accuracy within a few minutes on 2 cores, see docs/STUDY.md); every other task with its own quick setting
    /// from <see cref="TaskRegistry"/> (docs/TASKS.md). paper — the minRNN paper's selective-copying setting (Feng et
    /// al. 2024, arXiv 2410.01201): T = 4096, K = 16, d = 64, expansion 6, 3 layers, AdamW 3e-4, weight decay 0.05,
    /// clip 1.0, batch 64, 400k steps; selective copying only. char — character language modelling on a text file
    /// (char-lm only; the CharLm needs its --data): T = 128, d = 128, 2 layers, expansion 1.5, batch 32,
    /// AdamW 3e-3 with 100 warm-up steps and cosine decay, 1000 steps, evaluation on 256 windows every 250 steps — a few minutes on
    /// 2 cores (docs/TASKS.md, "## char-lm"). lm — char-lm compared as the field compares it: equal parameters, the
    /// language-model block, warm-up and cosine decay (<see cref="LmPreset"/>, docs/LM.md).
    /// </summary>
    public static RunConfig Get(string name, string cell = "mingru", string task = SelectiveCopying.TaskName)
    {
        var kind = TaskRegistry.Find(task);
        return name switch
        {
            "quick" => new RunConfig(
                new ModelConfig(cell, Layers: 2, Vocab: kind.Quick.Vocabulary.Size, Dim: 64, Expansion: 1.0),
                kind.Quick,
                new TrainOptions(Steps: kind.QuickSteps, Batch: 64, Lr: kind.QuickLr, WeightDecay: 0.05, Clip: 1.0, EvalEvery: 100, CheckpointEvery: 100, EvalSize: 512)),
            "paper" when kind.Type == typeof(SelectiveCopying) => new RunConfig(
                new ModelConfig(cell, Layers: 3, Vocab: 16, Dim: 64, Expansion: 6.0),
                new SelectiveCopying(SeqLen: 4096, Tokens: 16, Vocab: 16),
                new TrainOptions(Steps: 400_000, Batch: 64, Lr: 3e-4, WeightDecay: 0.05, Clip: 1.0, EvalEvery: 1000, CheckpointEvery: 1000, EvalSize: 512)),
            "paper" => throw new ArgumentException($"preset: paper is the minRNN paper's selective-copying setting; {task} has quick only"),
            "char" when kind.Type == typeof(CharLm) => new RunConfig(
                new ModelConfig(cell, Layers: 2, Vocab: kind.Quick.Vocabulary.Size, Dim: 128, Expansion: 1.5),
                new CharLm(SeqLen: 128),
                new TrainOptions(Steps: 1000, Batch: 32, Lr: 3e-3, WeightDecay: 0.05, Clip: 1.0, WarmupSteps: 100, Schedule: LrSchedule.Cosine,
                    EvalEvery: 250, CheckpointEvery: 250, EvalSize: 256)),
            LmPreset.Name when kind.Type == typeof(CharLm) => LmPreset.Get(cell, kind.Quick),
            LmPreset.Name => throw new ArgumentException($"preset: lm is the char-lm setting of docs/LM.md; {task} has quick only"),
            "char" => throw new ArgumentException($"preset: char is the char-lm setting; {task} has quick only"),
            _ => throw new ArgumentException($"preset: '{name}' is not one of {string.Join("|", Names)}"),
        };
    }
}
