using MinRnn.Cells;
using static TorchSharp.torch;

namespace MinRnn.Bench;

/// <summary>The cost of streaming generation at context position P (`bench infer --modes generate`, docs/BENCHMARKS.md,
/// "Generation cost"): the layer's state after a prefix of P tokens (built once, untimed), then the latency of one more
/// token from that state — every timed step starts from the same state, so the row is the cost at exactly P. The
/// recurrent kinds carry a state of fixed size; the transformer's key–value cache holds every past position.</summary>
public static class GenerationBench
{
    /// <summary>The row of case c (Bench "infer-generate", SeqLen = P) for a layer and its prefix (B, P, d): median ms per
    /// generated token, tokens/s (B per step), the state's size at P and the peak memory of one step.</summary>
    public static BenchResult Run(BenchCase c, RecurrentCell cell, Tensor prefix, Action? synchronize)
    {
        CellState state;
        using (no_grad())
        {
            var (output, after) = cell.call(prefix, null);
            output.Dispose();
            state = after;
        }
        var token = prefix.narrow(1, prefix.shape[1] - 1, 1).contiguous();         // (B, 1, d): any input costs the same
        void Step()
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            cell.call(token, state);
        }
        return Measurement.Run(c, Step, c.Batch, synchronize) with { StateBytes = StateBytes(state) };
    }

    /// <summary>Bytes of every tensor of a state: h (or the KV cache), the LSTM's c, Mamba's conv inputs.</summary>
    public static long StateBytes(CellState state) =>
        new[] { state.H, state.C, state.Conv }.OfType<Tensor>().Sum(t => t.numel() * t.ElementSize);
}
