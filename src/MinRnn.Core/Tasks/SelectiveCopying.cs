// Selective copying: Gu & Dao, "Mamba" (arXiv 2312.00752), App. E.1; the official minRNN sampler.
using MinRnn.Runs;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using MinRnn.Models;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Tasks;

/// <summary>A batch: inputs (B, T + K) int64, targets (B, K) int64, and the positions (B, K) of the data tokens.</summary>
public sealed record CopyBatch(Tensor Inputs, Tensor Targets, Tensor Positions) : IDisposable
{
    public void Dispose()
    {
        Inputs.Dispose();
        Targets.Dispose();
        Positions.Dispose();
    }
}

/// <summary>The selective-copying task (docs/TASKS.md). Token 0 is the "copy now" marker, token vocab − 1 is
/// noise, tokens 1 … vocab − 2 are data. K data tokens sit at sorted random positions of a length-T noise
/// sequence, then K markers follow; the targets are the K data tokens in order, read from the last K outputs.</summary>
/// <param name="SeqLen">T, the length of the noise sequence holding the data.</param>
/// <param name="Tokens">K, the number of data tokens to copy.</param>
/// <param name="Vocab">Vocabulary size (≥ 3: marker, noise and at least one data token).</param>
public sealed record SelectiveCopying(int SeqLen = 64, int Tokens = 4, int Vocab = 16) : ISequenceTask
{
    public const string TaskName = TaskNames.SelectiveCopy;

    /// <summary>The task's name in summary.json, eval files and ONNX metadata since version 1 (kept as it was).</summary>
    public const string FileName = TaskNames.SelectiveCopyingFile;

    [JsonIgnore] public string Name => TaskName;

    [JsonIgnore] public int Marker => 0;

    [JsonIgnore] public int Noise => Vocab - 1;

    /// <summary>Input length T + K.</summary>
    [JsonIgnore] public int InputLength => SeqLen + Tokens;

    [JsonIgnore] public TaskVocabulary Vocabulary => new(
        ["marker", .. Enumerable.Range(1, Math.Max(0, Vocab - 2)).Select(i => $"d{i}"), "noise"],
        new Dictionary<string, int> { ["marker"] = Marker, ["noise"] = Noise });

    [JsonIgnore] public int? Filler => Noise;

    [JsonIgnore] public bool HasRelevance => true;

    [JsonIgnore] public string UsageOptions => "[--tokens K] [--vocab V]";

    [JsonIgnore] public string EvalLabel => $"T{SeqLen}-K{Tokens}";

    /// <summary>paper — the minRNN paper's selective-copying setting (Feng et al. 2024, arXiv 2410.01201): T = 4096,
    /// K = 16, d = 64, expansion 6, 3 layers, AdamW 3e-4, weight decay 0.05, clip 1.0, batch 64, 400k steps.</summary>
    [JsonIgnore] public IReadOnlyList<TaskPreset> Presets =>
    [
        new("paper", "the minRNN paper's selective-copying setting", cell => new RunConfig(
            new ModelConfig(cell, Layers: 3, Vocab: 16, Dim: 64, Expansion: 6.0),
            new SelectiveCopying(SeqLen: 4096, Tokens: 16, Vocab: 16),
            new TrainOptions(Steps: 400_000, Batch: 64, Lr: 3e-4, WeightDecay: 0.05, Clip: 1.0, EvalEvery: 1000, CheckpointEvery: 1000, EvalSize: 512))),
    ];

    /// <summary>Version 1's wording: the data tokens are the relevant positions, noise the filler, and marker, noise and
    /// data the token roles of the gate statistics.</summary>
    [JsonIgnore] public TaskExplanation Explanation => new(
        $"Selective copying T = {SeqLen}, K = {Tokens}, vocab {Vocab}",
        "logit of the true data token at each of the K answer steps T … T+K−1",
        "answer k depends on the position of the k-th data token (one position per case)",
        $"{TaskExplanation.Ranking} noise token, m = 0 … T+K; accuracy of the target at its step; trapezoid AUC over the fraction m/(T+K)",
        $"{TaskExplanation.Spearman} non-noise {TaskExplanation.Verdict}",
        "data tokens", "noise", TokenRoles: true);

    /// <summary>Throws ArgumentException naming the first invalid field.</summary>
    public void Validate()
    {
        if (Vocab < 3) throw new ArgumentException($"vocab: must be ≥ 3 (marker, noise and a data token), got {Vocab}");
        if (Tokens < 1) throw new ArgumentException($"tokens: must be ≥ 1, got {Tokens}");
        if (SeqLen < Tokens) throw new ArgumentException($"seq-len: must be ≥ tokens ({Tokens}), got {SeqLen}");
    }

    public ISequenceTask WithSeqLen(int seqLen) => (this with { SeqLen = seqLen }).Validated();

    /// <summary>A batch drawn from a seeded generator, on the CPU (move it to the model's device).
    /// The same seed gives the same batch on every machine.</summary>
    public CopyBatch Sample(int batch, long seed)
    {
        Validate();
        using var scope = NewDisposeScope();
        var gen = new Generator((ulong)seed);
        // K distinct positions per row: the first K of a random permutation, sorted.
        var positions = rand([batch, SeqLen], generator: gen).argsort(1).narrow(1, 0, Tokens).sort(1).Values;
        var data = randint(1, Vocab - 1, [batch, Tokens], dtype: int64, generator: gen);
        var inputs = full([batch, InputLength], Noise, dtype: int64);
        inputs.narrow(1, 0, SeqLen).scatter_(1, positions, data);
        inputs.narrow(1, SeqLen, Tokens).fill_(Marker);
        return new CopyBatch(inputs.MoveToOuterDisposeScope(), data.MoveToOuterDisposeScope(), positions.MoveToOuterDisposeScope());
    }

    /// <summary>The same rows as <see cref="Sample(int, long)"/> (both splits), as the contract's batch: answers on the
    /// last K steps, answer k relevant to the position of the k-th data token.</summary>
    public TaskBatch Sample(int batch, long seed, TaskSplit split)
    {
        var copy = Sample(batch, seed);
        using var data = copy.Targets;                                      // the inputs move into the new batch as they are
        using var positions = copy.Positions;
        using var scope = NewDisposeScope();
        var targets = full([batch, InputLength], TaskBatch.IgnoreIndex, dtype: int64);
        targets.narrow(1, SeqLen, Tokens).copy_(data);
        var relevance = zeros(batch, Tokens, InputLength, dtype: @bool)
            .scatter_(2, positions.unsqueeze(2), ones(batch, Tokens, 1, dtype: @bool));
        return new TaskBatch(copy.Inputs, targets.MoveToOuterDisposeScope(), relevance.MoveToOuterDisposeScope());
    }

    /// <summary>Version 1's block, unchanged: name selective_copying, seq_len, tokens, vocab.</summary>
    public JsonObject Summary() => new() { ["name"] = FileName, ["seq_len"] = SeqLen, ["tokens"] = Tokens, ["vocab"] = Vocab };

    public IEnumerable<(string Key, string Value)> Metadata()
    {
        foreach (var (key, value) in TaskJson.Metadata(this))
            yield return key == FileMetadataKeys.Task ? (key, FileName) : (key, value);
        yield return (FileMetadataKeys.TaskTokens, Tokens.ToString(CultureInfo.InvariantCulture));
        yield return (FileMetadataKeys.MarkerToken, Marker.ToString(CultureInfo.InvariantCulture));
        yield return (FileMetadataKeys.NoiseToken, Noise.ToString(CultureInfo.InvariantCulture));
    }
}
