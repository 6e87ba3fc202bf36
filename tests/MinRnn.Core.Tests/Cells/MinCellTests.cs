using MinRnn.Cells;
using MinRnn.Scans;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests.Cells;

public class MinCellTests
{
    /// <summary>Every min kind of the registry, with normalised gates and without (a cell without such gates ignores it).</summary>
    public static TheoryData<string, bool> Kinds
    {
        get
        {
            var data = new TheoryData<string, bool>();
            foreach (var kind in CellKinds.All.Where(k => k.IsMin))
                foreach (var normalize in new[] { true, false })
                    data.Add(kind.Name, normalize);
            return data;
        }
    }

    private static RecurrentCell Make(string kind, ScanMode scan, bool normalize, ScalarType dtype, double expansion = 1.5, long seed = 1)
    {
        random.manual_seed(seed);
        var options = new CellOptions(Dim: 6, Expansion: expansion, Scan: scan, NormalizeGates: normalize, ForgetBias: 1.0);   // a cell without a forget gate ignores it
        var cell = CellKinds.Get(kind).Create(options);
        cell.to(dtype);
        return cell;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ParallelAndFusedMatchSequentialOutputsAndGradients(string kind, bool normalize)
    {
        foreach (var scan in new[] { ScanMode.Log, ScanMode.Fused })
        foreach (var (dtype, tol) in new[] { (float64, 1e-10), (float32, 1e-5) })
        {
            using var log = Make(kind, scan, normalize, dtype);
            using var seq = Make(kind, ScanMode.Sequential, normalize, dtype, seed: 99);
            TestUtil.CopyWeights(log, seq);
            random.manual_seed(7);
            var x = randn(3, 37, 6, dtype: dtype) * 2;
            var h0 = rand(3, 9, dtype: dtype) - 0.3;                     // any sign
            var (h0Log, h0Seq) = (h0.clone().requires_grad_(true), h0.clone().requires_grad_(true));
            var (yLog, sLog) = log.call(x, new CellState(h0Log));
            var (ySeq, sSeq) = seq.call(x, new CellState(h0Seq));
            TestUtil.Close(yLog, ySeq, tol, $"{kind} {dtype} output");
            TestUtil.Close(sLog.H, sSeq.H, tol, $"{kind} {dtype} final state");

            var w = randn(yLog.shape, dtype: dtype);
            (yLog * w).sum().backward();
            (ySeq * w).sum().backward();
            // Weight gradients sum B·T terms. The float32 log-space scan loses digits (exp of a* + logcumsumexp, which
            // cancel), so its gradients sit 1.8e-4 from the loop's on elements of 0.37 (measured); the fused kernel is within 1e-4.
            var gradTol = dtype == float32 && scan == ScanMode.Log ? 1e-3 : tol * 10;
            var gSeq = seq.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
            foreach (var (name, p) in log.named_parameters())
                TestUtil.Close(p.grad!, gSeq[name], gradTol, $"{kind} {scan} {dtype} grad {name}");
            TestUtil.Close(h0Log.grad!, h0Seq.grad!, gradTol, $"{kind} {scan} {dtype} grad h0");
        }
    }

    // 303 channels: the fused kernels split a row into blocks of 256 channels; the second one is 47 wide, which ends
    // in a partial SIMD vector for float32 (8 lanes) and float64 (4 lanes), so block offsets and tails are exercised.
    [Theory]
    [MemberData(nameof(Kinds))]
    public void WideFusedCellsMatchSequentialAcrossChannelBlocks(string kind, bool normalize)
    {
        foreach (var (dtype, tol) in new[] { (float64, 1e-10), (float32, 1e-5) })
        {
            random.manual_seed(3);
            var options = new CellOptions(Dim: 202, Expansion: 1.5, NormalizeGates: normalize);
            RecurrentCell Cell(ScanMode scan) => CellKinds.Get(kind).Create(options with { Scan = scan });
            using var fused = Cell(ScanMode.Fused);
            using var seq = Cell(ScanMode.Sequential);
            fused.to(dtype); seq.to(dtype);
            TestUtil.CopyWeights(fused, seq);
            var x = randn(2, 5, 202, dtype: dtype);
            var h0 = randn(2, 303, dtype: dtype);
            var (h0f, h0s) = (h0.clone().requires_grad_(true), h0.clone().requires_grad_(true));
            var (yf, _) = fused.call(x, new CellState(h0f));
            var (ys, _) = seq.call(x, new CellState(h0s));
            TestUtil.Close(yf, ys, tol, $"{kind} {dtype} wide output");
            var w = randn(yf.shape, dtype: dtype);
            (yf * w).sum().backward();
            (ys * w).sum().backward();
            TestUtil.Close(h0f.grad!, h0s.grad!, tol * 10, $"{kind} {dtype} wide grad h0");
            var gs = seq.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
            foreach (var (name, p) in fused.named_parameters())
                TestUtil.Close(p.grad!, gs[name], tol * 10, $"{kind} {dtype} wide grad {name}");
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void ChunkedWithCarriedStateEqualsFullPass(string kind, bool normalize)
    {
        foreach (var scan in new[] { ScanMode.Log, ScanMode.Fused, ScanMode.Sequential })
        {
            using var cell = Make(kind, scan, normalize, float64);
            var x = randn(2, 20, 6, dtype: float64);
            var h0 = randn(2, 9, dtype: float64);
            var (full, fullState) = cell.call(x, new CellState(h0));
            var (a, sa) = cell.call(x.narrow(1, 0, 7), new CellState(h0));
            var (b, sb) = cell.call(x.narrow(1, 7, 1), sa);
            var (c, sc) = cell.call(x.narrow(1, 8, 12), sb);
            TestUtil.Close(cat([a, b, c], 1), full, 1e-10, $"{kind} {scan} chunked output");
            TestUtil.Close(sc.H, fullState.H, 1e-10, $"{kind} {scan} chunked state");
        }
    }

    [Fact]
    public void NoStateEqualsZeroState()
    {
        using var cell = Make("mingru", ScanMode.Log, true, float64);
        var x = randn(2, 5, 6, dtype: float64);
        TestUtil.Close(cell.call(x, null).Output, cell.call(x, cell.ZeroState(2)).Output, 1e-10);
    }

    // Hand-computed (dim 1, no expansion, x = [1, −2], h0 = 0.3), values from the equations of docs/MODELS.md
    // evaluated in float64 by a separate script: z = σ(w_z x), h̃ = g(w_h x), h = (1 − z) h + z h̃.
    [Theory]
    [InlineData(ScanMode.Log)]
    [InlineData(ScanMode.Fused)]
    [InlineData(ScanMode.Sequential)]
    public void MinGruTwoStepsByHand(ScanMode scan)
    {
        using var cell = new MinGru(new CellOptions(1, Scan: scan));
        cell.to(float64);
        using (no_grad()) cell.parameters().Single().copy_(tensor(new[,] { { 0.5 }, { -1.0 } }));  // rows: h̃, z
        var (y, state) = cell.call(tensor(new[] { 1.0, -2.0 }).reshape(1, 2, 1), new CellState(tensor(new[] { 0.3 }).reshape(1, 1)));
        Assert.Equal(0.4882589949589966, y[0, 0, 0].item<double>(), 12);
        Assert.Equal(0.2950847169926049, y[0, 1, 0].item<double>(), 12);
        Assert.Equal(0.2950847169926049, state.H[0, 0].item<double>(), 12);
    }

    // f = σ(2x), i = σ(−x), h̃ = g(0.5x); normalised f' = f/(f+i), i' = i/(f+i); h = f' h + i' h̃.
    [Theory]
    [InlineData(ScanMode.Log, true, 0.46374070718322086, 0.27283969240163913)]
    [InlineData(ScanMode.Sequential, true, 0.46374070718322086, 0.27283969240163913)]
    [InlineData(ScanMode.Fused, true, 0.46374070718322086, 0.27283969240163913)]
    [InlineData(ScanMode.Log, false, 0.5331805447633597, 0.24647271531572623)]
    [InlineData(ScanMode.Fused, false, 0.5331805447633597, 0.24647271531572623)]
    [InlineData(ScanMode.Sequential, false, 0.5331805447633597, 0.24647271531572623)]
    public void MinLstmTwoStepsByHand(ScanMode scan, bool normalize, double h1, double h2)
    {
        using var cell = new MinLstm(new CellOptions(1, Scan: scan, NormalizeGates: normalize));
        cell.to(float64);
        using (no_grad()) cell.parameters().Single().copy_(tensor(new[,] { { 0.5 }, { 2.0 }, { -1.0 } }));  // rows: h̃, f, i
        var (y, _) = cell.call(tensor(new[] { 1.0, -2.0 }).reshape(1, 2, 1), new CellState(tensor(new[] { 0.3 }).reshape(1, 1)));
        Assert.Equal(h1, y[0, 0, 0].item<double>(), 12);
        Assert.Equal(h2, y[0, 1, 0].item<double>(), 12);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void CandidateIsGOfTheCandidatePreactivation(string kind, bool normalize)
    {
        using var cell = Make(kind, ScanMode.Fused, normalize, float64);
        var x = randn(2, 11, 6, dtype: float64) * 2;
        var k = ((IMinCell)cell).CandidatePreactivation(x);
        Assert.Equal(new long[] { 2, 11, 9 }, k.shape);
        Assert.True(k.lt(0).any().item<bool>() && k.ge(0).any().item<bool>(), "both branches of g");
        TestUtil.Close(MinGates.G(k), ((IMinCell)cell).Gates(x).Candidate, 1e-15, $"{kind} candidate");
    }

    [Fact]
    public void ForgetBiasInitialisesOnlyTheForgetGate()
    {
        using var cell = new MinLstm(new CellOptions(4, ForgetBias: 3.0));
        var bias = cell.named_parameters().Single(p => p.name.EndsWith("bias")).parameter;
        Assert.Equal(new[] { 0f, 0f, 0f, 0f, 3f, 3f, 3f, 3f, 0f, 0f, 0f, 0f }, bias.data<float>().ToArray());
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void SaturatedGatesOverLongSequencesStayFinite(string kind, bool normalize)
    {
        foreach (var scan in new[] { ScanMode.Fused, ScanMode.Log })
        {
            using var cell = Make(kind, scan, normalize, float32, expansion: 1.0);
            using (no_grad())
                foreach (var p in cell.parameters()) p.mul_(20);              // gates pinned near 0 and 1
            var x = randn(1, 65_536, 6).requires_grad_(true);
            var (y, state) = cell.call(x, null);
            y.sum().backward();
            Assert.True(y.isfinite().all().item<bool>(), $"{kind} {scan} output");
            Assert.True(state.H.isfinite().all().item<bool>(), $"{kind} {scan} state");
            Assert.True(x.grad!.isfinite().all().item<bool>(), $"{kind} {scan} gradient");
        }
    }
}
