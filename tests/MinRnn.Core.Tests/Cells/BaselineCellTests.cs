using MinRnn.Cells;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests.Cells;

/// <summary>The baselines against the textbook GRU/LSTM equations (PyTorch conventions), stepped by hand in float64.</summary>
public class BaselineCellTests
{
    private static Tensor P(nn.Module m, string suffix) => m.named_parameters().Single(p => p.name.EndsWith(suffix)).parameter;

    private static Tensor Lin(Tensor x, Tensor w, Tensor b) => x.matmul(w.t()) + b;

    [Fact]
    public void GruMatchesTheEquationsWithStateInAndOut()
    {
        random.manual_seed(3);
        using var cell = new Gru(new CellOptions(5, Expansion: 1.4));
        cell.to(float64);
        var x = randn(2, 6, 5, dtype: float64);
        var h = randn(2, 7, dtype: float64);
        var (y, state) = cell.call(x, new CellState(h));

        var (wi, wh, bi, bh) = (P(cell, "weight_ih_l0").chunk(3), P(cell, "weight_hh_l0").chunk(3), P(cell, "bias_ih_l0").chunk(3), P(cell, "bias_hh_l0").chunk(3));
        var hs = new List<Tensor>();
        for (var t = 0; t < 6; t++)
        {
            var xt = x.select(1, t);
            var r = (Lin(xt, wi[0], bi[0]) + Lin(h, wh[0], bh[0])).sigmoid();
            var z = (Lin(xt, wi[1], bi[1]) + Lin(h, wh[1], bh[1])).sigmoid();
            var n = (Lin(xt, wi[2], bi[2]) + r * Lin(h, wh[2], bh[2])).tanh();
            h = (1 - z) * n + z * h;
            hs.Add(h);
        }
        var expected = stack(hs, 1).matmul(P(cell, "to_out.weight").t());
        TestUtil.Close(y, expected, 1e-10, "GRU output");
        TestUtil.Close(state.H, h, 1e-10, "GRU state");
    }

    [Fact]
    public void LstmMatchesTheEquationsWithStateInAndOut()
    {
        random.manual_seed(4);
        using var cell = new Lstm(new CellOptions(5));
        cell.to(float64);
        var x = randn(2, 6, 5, dtype: float64);
        var (h, c) = (randn(2, 5, dtype: float64), randn(2, 5, dtype: float64));
        var (y, state) = cell.call(x, new CellState(h, c));

        var (wi, wh, bi, bh) = (P(cell, "weight_ih_l0").chunk(4), P(cell, "weight_hh_l0").chunk(4), P(cell, "bias_ih_l0").chunk(4), P(cell, "bias_hh_l0").chunk(4));
        var hs = new List<Tensor>();
        for (var t = 0; t < 6; t++)
        {
            var xt = x.select(1, t);
            Tensor Gate(int k) => Lin(xt, wi[k], bi[k]) + Lin(h, wh[k], bh[k]);
            var (i, f, g, o) = (Gate(0).sigmoid(), Gate(1).sigmoid(), Gate(2).tanh(), Gate(3).sigmoid());
            c = f * c + i * g;
            h = o * c.tanh();
            hs.Add(h);
        }
        TestUtil.Close(y, stack(hs, 1), 1e-10, "LSTM output");
        TestUtil.Close(state.H, h, 1e-10, "LSTM h");
        TestUtil.Close(state.C!, c, 1e-10, "LSTM c");
    }

    [Theory]
    [InlineData("gru")]
    [InlineData("lstm")]
    public void ChunkedWithCarriedStateEqualsFullPass(string kind)
    {
        random.manual_seed(5);
        RecurrentCell cell = kind == "gru" ? new Gru(new CellOptions(4)) : new Lstm(new CellOptions(4));
        cell.to(float64);
        var x = randn(3, 11, 4, dtype: float64);
        var (full, fs) = cell.call(x, null);
        var (a, sa) = cell.call(x.narrow(1, 0, 4), null);
        var (b, sb) = cell.call(x.narrow(1, 4, 7), sa);
        TestUtil.Close(cat([a, b], 1), full, 1e-12);
        TestUtil.Close(sb.H, fs.H, 1e-12);
        if (kind == "lstm") TestUtil.Close(sb.C!, fs.C!, 1e-12);
    }
}
