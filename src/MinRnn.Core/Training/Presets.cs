using MinRnn.Models;
using MinRnn.Tasks;

namespace MinRnn.Training;

/// <summary>Named starting points for a run; command-line options override single fields.</summary>
public static class Presets
{
    public const string Quick = "quick";

    /// <summary>quick, then every task's own presets in registry order (paper, char).</summary>
    public static readonly string[] Names = [Quick, .. TaskRegistry.All.SelectMany(k => k.Quick.Presets).Select(p => p.Name)];

    /// <summary>
    /// quick — a CPU setting: selective copying T = 64, K = 4, d = 64, batch 64, AdamW 3e-3 (a 2-layer minGRU passes
    /// 0.90 test accuracy within a few minutes on 2 cores, see docs/STUDY.md); every other task with its own quick setting
    /// from <see cref="TaskRegistry"/> (docs/TASKS.md). Every other name is a task's own preset (<see cref="ISequenceTask.Presets"/>):
    /// paper (selective copying), char and lm (char-lm; lm: equal parameters and the language-model block, docs/LM.md).
    /// </summary>
    public static RunConfig Get(string name, string cell = "mingru", string task = SelectiveCopying.TaskName)
    {
        var kind = TaskRegistry.Find(task);
        if (name == Quick)
            return new RunConfig(
                new ModelConfig(cell, Layers: 2, Vocab: kind.Quick.Vocabulary.Size, Dim: 64, Expansion: 1.0),
                kind.Quick,
                new TrainOptions(Steps: kind.QuickSteps, Batch: 64, Lr: kind.QuickLr, WeightDecay: 0.05, Clip: 1.0, EvalEvery: 100, CheckpointEvery: 100, EvalSize: 512));
        if (kind.Quick.Presets.FirstOrDefault(p => p.Name == name) is { } own)
            return own.Build(cell);
        var owned = TaskRegistry.All.SelectMany(k => k.Quick.Presets).FirstOrDefault(p => p.Name == name)
            ?? throw new ArgumentException($"preset: '{name}' is not one of {string.Join("|", Names)}");
        throw new ArgumentException($"preset: {name} is {owned.Description}; {task} has {string.Join("|", [Quick, .. kind.Quick.Presets.Select(p => p.Name)])}" +
                                    (kind.Quick.Presets.Count == 0 ? " only" : ""));
    }

    /// <summary>The task a preset is made for (its owner's; quick: selective copying), the default of `--task`.</summary>
    public static string TaskOf(string name) =>
        TaskRegistry.All.FirstOrDefault(k => k.Quick.Presets.Any(p => p.Name == name))?.Name ?? SelectiveCopying.TaskName;
}
