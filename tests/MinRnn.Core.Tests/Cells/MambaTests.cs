using MinRnn.Cells;
using MinRnn.Scans;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests.Cells;

public class MambaTests
{
    private static Mamba Make(ScanMode scan, long seed = 1)
    {
        random.manual_seed(seed);
        var cell = new Mamba(new CellOptions(Dim: 8, Expansion: 2, Scan: scan, StateSize: 4));
        cell.to(float64);
        return cell;
    }

    [Fact]
    public void ParametersCarryTheReferenceNamesAndInitialisation()
    {
        using var cell = Make(ScanMode.Auto);
        Assert.Equal(["A_log", "D", "in_proj.weight", "conv1d.weight", "conv1d.bias", "x_proj.weight", "dt_proj.weight", "dt_proj.bias", "out_proj.weight"],
            cell.state_dict().Keys.ToArray());
        var a = -cell.state_dict()["A_log"].exp();                                     // S4D-real: A_n = −(n + 1)
        TestUtil.Close(a[3], -arange(1, 5, dtype: float64), 1e-7);                 // made in float32
        var delta = nn.functional.softplus(cell.state_dict()["dt_proj.bias"]);
        Assert.True(delta.min().item<double>() >= 1e-4 * 0.999 && delta.max().item<double>() <= 0.1 * 1.001);
    }

    [Theory]
    [InlineData(ScanMode.Fused)]
    [InlineData(ScanMode.Log)]
    public void ScansMatchSequentialCellOutputsAndGradients(ScanMode scan)
    {
        using var cell = Make(scan);
        using var reference = Make(ScanMode.Sequential, seed: 9);
        TestUtil.CopyWeights(cell, reference);
        random.manual_seed(4);
        var x = randn(2, 11, 8, dtype: float64);
        var (y, s) = cell.call(x, null);
        var (yRef, sRef) = reference.call(x, null);
        TestUtil.Close(y, yRef, 1e-10, "y");
        TestUtil.Close(s.H, sRef.H, 1e-10, "h");
        TestUtil.Close(s.Conv!, sRef.Conv!, 0, "conv state");
        y.square().sum().backward();
        yRef.square().sum().backward();
        var g = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        foreach (var (name, p) in cell.named_parameters())
            TestUtil.Close(p.grad!, g[name], 1e-9, $"grad {name}");
    }

    [Theory]
    [InlineData(ScanMode.Fused)]
    [InlineData(ScanMode.Log)]
    [InlineData(ScanMode.Sequential)]
    public void StreamingInPiecesEqualsOneCall(ScanMode scan)
    {
        using var cell = Make(scan);
        random.manual_seed(6);
        var x = randn(2, 10, 8, dtype: float64);
        var (full, fullState) = cell.call(x, cell.ZeroState(2));
        CellState? state = null;
        var pieces = new List<Tensor>();
        foreach (var (start, len) in new[] { (0, 1), (1, 2), (3, 6), (9, 1) })     // pieces shorter than the conv kernel too
        {
            var (y, next) = cell.call(x.narrow(1, start, len), state);
            pieces.Add(y);
            state = next;
        }
        TestUtil.Close(cat(pieces, 1), full, 1e-12, "streamed y");
        TestUtil.Close(state!.H, fullState.H, 1e-12, "streamed h");
        TestUtil.Close(state.Conv!, fullState.Conv!, 1e-12, "streamed conv state");
    }
}
