using MinRnn.Cells;
using MinRnn.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests.Cells;

public class TransformerTests
{
    private static Transformer Make(int heads = 2)
    {
        random.manual_seed(1);
        var cell = new Transformer(new CellOptions(Dim: 8, Expansion: 1.5, Heads: heads));
        cell.to(float64);
        return cell;
    }

    [Fact]
    public void StreamingThroughTheKeyValueCacheEqualsOneCall()
    {
        using var cell = Make();
        random.manual_seed(2);
        var x = randn(2, 9, 8, dtype: float64);
        var (full, fullState) = cell.call(x, null);
        var state = cell.ZeroState(2);
        var pieces = new List<Tensor>();
        foreach (var (start, len) in new[] { (0, 1), (1, 4), (5, 1), (6, 3) })
        {
            var (y, next) = cell.call(x.narrow(1, start, len), state);
            pieces.Add(y);
            state = next;
        }
        TestUtil.Close(cat(pieces, 1), full, 1e-12, "streamed y");
        TestUtil.Close(state.H, fullState.H, 1e-12, "cache");
        Assert.Equal(new long[] { 2, 9, 2 * 12 }, state.H.shape);
    }

    /// <summary>Against an independent formula: TorchSharp's scaled_dot_product_attention with is_causal on the
    /// rotated q and k.</summary>
    [Fact]
    public void EqualsCausalScaledDotProductAttention()
    {
        using var cell = Make(heads: 3);
        random.manual_seed(3);
        var x = randn(2, 7, 8, dtype: float64);
        var (y, _) = cell.call(x, null);
        var p = cell.state_dict();
        var qkv = x.matmul(p["to_qkv.weight"].t()).chunk(3, -1);
        Tensor Heads(Tensor t) => t.reshape(2, 7, 3, 4).transpose(1, 2);
        var attention = nn.functional.scaled_dot_product_attention(Rotary.Apply(Heads(qkv[0]), 0), Rotary.Apply(Heads(qkv[1]), 0), Heads(qkv[2]), is_casual: true);
        var expected = attention.transpose(1, 2).reshape(2, 7, 12).matmul(p["to_out.weight"].t());
        TestUtil.Close(y, expected, 1e-12, "attention");
    }

    /// <summary>The fused path (scaled_dot_product_attention) against the explicit softmax path explain reads: outputs,
    /// the input's gradient and every weight's gradient, from the empty cache (causal flag), for one token after a cache
    /// (no mask) and for a block after a cache (an explicit mask).</summary>
    [Theory]
    [InlineData(0, 7)]
    [InlineData(5, 1)]
    [InlineData(5, 4)]
    public void FusedAttentionEqualsTheExplicitPathWithGradients(int past, int steps)
    {
        using var cell = Make(heads: 3);
        random.manual_seed(6);
        var state = past == 0 ? null : new CellState(cell.call(randn(2, past, 8, dtype: float64), null).State.H.detach());
        var x = randn(2, steps, 8, dtype: float64);
        var upstream = randn(2, steps, 8, dtype: float64);
        (Tensor Y, Tensor Cache, Tensor[] Grads) Run(Func<Tensor, (Tensor, CellState)> forward)
        {
            cell.zero_grad();
            var input = x.clone().requires_grad_(true);
            var (y, next) = forward(input);
            (y * upstream).sum().backward();
            return (y.detach(), next.H.detach(), [input.grad!.clone(), .. cell.parameters().Select(p => p.grad!.clone())]);
        }
        var fused = Run(input => cell.call(input, state));
        var plain = Run(input => cell.ForwardExplicit(input, state));
        TestUtil.Close(fused.Y, plain.Y, 1e-10, "y");
        TestUtil.Close(fused.Cache, plain.Cache, 0, "cache");
        for (var i = 0; i < fused.Grads.Length; i++) TestUtil.Close(fused.Grads[i], plain.Grads[i], 1e-10, $"gradient {i}");
    }

    [Fact]
    public void RotaryScoresDependOnlyOnRelativePositions()
    {
        random.manual_seed(4);
        var (q, k) = (randn(1, 1, 1, 6, dtype: float64), randn(1, 1, 1, 6, dtype: float64));
        double Score(long i, long j) => (Rotary.Apply(q, i) * Rotary.Apply(k, j)).sum().item<double>();
        Assert.Equal(Score(3, 1), Score(103, 101), 10);
        Assert.NotEqual(Score(3, 1), Score(3, 2), 6);
    }

    [Fact]
    public void OutputsDoNotSeeTheFuture()
    {
        using var cell = Make();
        random.manual_seed(5);
        var x = randn(1, 6, 8, dtype: float64);
        var changed = x.clone();
        changed[0, 4] = randn(8, dtype: float64);
        var (a, _) = cell.call(x, null);
        var (b, _) = cell.call(changed, null);
        TestUtil.Close(b.narrow(1, 0, 4), a.narrow(1, 0, 4), 0, "before the change");
        Assert.True((b[0, 4] - a[0, 4]).abs().max().item<double>() > 1e-6);
    }
}
