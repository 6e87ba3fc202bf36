// Selective copying: Gu & Dao, "Mamba" (arXiv 2312.00752), App. E.1; the official minRNN sampler.
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

/// <summary>The selective-copying task (BACKGROUND §5). Token 0 is the "copy now" marker, token vocab − 1 is
/// noise, tokens 1 … vocab − 2 are data. K data tokens sit at sorted random positions of a length-T noise
/// sequence, then K markers follow; the targets are the K data tokens in order, read from the last K outputs.</summary>
/// <param name="SeqLen">T, the length of the noise sequence holding the data.</param>
/// <param name="Tokens">K, the number of data tokens to copy.</param>
/// <param name="Vocab">Vocabulary size (≥ 3: marker, noise and at least one data token).</param>
public sealed record SelectiveCopying(int SeqLen = 64, int Tokens = 4, int Vocab = 16)
{
    public const string Name = "selective_copying";

    public int Marker => 0;

    public int Noise => Vocab - 1;

    /// <summary>Input length T + K.</summary>
    public int InputLength => SeqLen + Tokens;

    /// <summary>Throws ArgumentException naming the first invalid field.</summary>
    public void Validate()
    {
        if (Vocab < 3) throw new ArgumentException($"vocab: must be ≥ 3 (marker, noise and a data token), got {Vocab}");
        if (Tokens < 1) throw new ArgumentException($"tokens: must be ≥ 1, got {Tokens}");
        if (SeqLen < Tokens) throw new ArgumentException($"seq-len: must be ≥ tokens ({Tokens}), got {SeqLen}");
    }

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

}
