using MinRnn.Cells;
using MinRnn.Models;
using MinRnn.Tasks;

namespace MinRnn.Training;

/// <summary>The `lm` preset (docs/LM.md): character language modelling in the block language models of this family use,
/// the same for all six kinds up to what each kind brings itself. Pre-norm residual blocks (Models/Block.cs); before the
/// recurrent cells (minGRU, minLSTM, GRU, LSTM) a causal depthwise conv of k = 4, as Mamba's block has inside its mixer
/// (Gu &amp; Dao 2023, §3.4) and the minRNN language model before its cell; after every mixer the GEGLU feed-forward of
/// inner width 4 d; the transformer with that feed-forward and no conv; Mamba at its reference inner expansion of 2.
/// The width d is chosen per kind so that every model has <see cref="Parameters"/> parameters (±5%, ParameterMatch).</summary>
public static class LmPreset
{
    public const string Name = "lm";

    /// <summary>Every kind's parameter count (`--params` overrides it, `--dim` turns matching off).</summary>
    public const long Parameters = 400_000;

    public const int Layers = 3;
    public const int SeqLen = 256;
    public const int ConvKernel = 4;
    public const double FeedForwardMult = 4;

    /// <summary>Training steps: the budget that fits 6 kinds × 3 seeds in about two hours on 2 cores (docs/LM.md, "Budget").</summary>
    public const int Steps = 1400;

    /// <summary>Each kind's inner expansion, as its reference has it (CellKind.ReferenceExpansion): the min cells 1.5
    /// (the minRNN language model of lucidrains/minGRU-pytorch), nn.GRU/nn.LSTM their hidden width d, Mamba 2, attention
    /// width d.</summary>
    public static double Expansion(string cell) => CellKinds.Get(cell).ReferenceExpansion;

    /// <summary>Whether the block puts the causal conv before the mixer: the recurrent cells yes; Mamba has its own conv
    /// inside, attention none.</summary>
    public static bool HasConv(string cell) => CellKinds.Get(cell) is { OwnConv: false, Mixing: not PositionMixing.Attention };

    public static RunConfig Get(string cell, ISequenceTask quickTask) => new(
        new ModelConfig(cell, Layers: Layers, Vocab: quickTask.Vocabulary.Size, Dim: 64, Expansion: Expansion(cell),
            ConvKernel: HasConv(cell) ? ConvKernel : 0, FeedForwardMult: FeedForwardMult, ParamsTarget: Parameters),
        new CharLm(SeqLen: SeqLen),
        new TrainOptions(Steps: Steps, Batch: 32, Lr: 3e-3, WeightDecay: 0.05, Clip: 1.0, WarmupSteps: Steps / 20, Schedule: LrSchedule.Cosine,
            EvalEvery: Steps / 10, CheckpointEvery: Steps / 10, EvalSize: 256));
}
