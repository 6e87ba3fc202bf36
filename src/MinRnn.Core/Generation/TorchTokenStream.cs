using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Generation;

/// <summary>A SequenceModel read piece by piece through Forward(tokens, state): the state after each call is kept
/// (outside every dispose scope) for the next one and the previous one is released. The stream owns the model.</summary>
public sealed class TorchTokenStream(SequenceModel model) : ITokenStream
{
    private readonly Device device = model.parameters().First().device;
    private BlockState[]? state;

    public float[] Feed(long[] tokens)
    {
        model.eval();
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (logits, next) = model.call(tensor(tokens, [1, tokens.Length], int64).to(device), state);
        var last = logits[0, -1].to(float32).cpu().data<float>().ToArray();
        var kept = next.Select(s => new BlockState(s.Cell.MoveToOuterDisposeScope(), s.Conv?.MoveToOuterDisposeScope())).ToArray();
        Release(state, kept);
        state = kept;
        return last;
    }

    public void Dispose()
    {
        Release(state, []);
        state = null;
        model.Dispose();
    }

    private static void Release(BlockState[]? old, BlockState[] kept)
    {
        if (old is null) return;
        var live = kept.SelectMany(Tensors).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var t in old.SelectMany(Tensors).Where(t => !live.Contains(t))) t.Dispose();
    }

    private static IEnumerable<Tensor> Tensors(BlockState s) =>
        new[] { s.Cell.H, s.Cell.C, s.Conv }.OfType<Tensor>();
}
