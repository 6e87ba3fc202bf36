using MinRnn.Cells;
using MinRnn.Scans;
using static TorchSharp.torch;

namespace MinRnn.Tests.Cells;

/// <summary>The registry against the cells it creates: what it says of a kind is what the cell does.</summary>
public class CellKindsTests
{
    public static TheoryData<string> Kinds => new(CellKinds.Names);

    [Theory, MemberData(nameof(Kinds))]
    public void WhatTheRegistrySaysIsWhatTheCellDoes(string name)
    {
        var kind = CellKinds.Get(name);
        using var cell = kind.Create(new CellOptions(6, Expansion: 2, Heads: 3));
        Assert.Equal(kind.IsMin, cell is IMinCell);
        var (_, state) = cell.call(randn(2, 3, 6), null);
        Assert.Equal(kind.CarriesCellState, state.C is not null);
        // (three heads of width 4: the transformer's heads split the inner width 12 into even widths)
        // the input projection's width is InputGates · inner (the floor benchmark times it)
        var input = kind.Projections(6, 12)[0];
        Assert.Equal(6, input.In);
        Assert.Contains(cell.parameters(), p => p.shape.SequenceEqual(new long[] { input.Out, 6 }));
        Assert.Equal(kind.Projections(6, 12).Sum(p => p.In * p.Out), Matrices(cell));
    }

    /// <summary>A kind that says it takes a scan computes the same function in every ScanMode, against the sequential
    /// loop (so `bench --scans` compares paths of one function); a kind that does not ignores the mode.</summary>
    [Theory, MemberData(nameof(Kinds))]
    public void EveryScanModeOfAKindComputesTheSameFunction(string name)
    {
        var kind = CellKinds.Get(name);
        var x = randn(2, 5, 6);
        using var weights = kind.Create(new CellOptions(6, Expansion: 2, Heads: 3));
        float[] Output(ScanMode scan)
        {
            // the same weights in every mode, copied: other tests draw from TorchSharp's global generator in parallel
            using var cell = kind.Create(new CellOptions(6, Expansion: 2, Scan: scan, Heads: 3));
            TestUtil.CopyWeights(weights, cell);
            using var noGrad = no_grad();
            return cell.call(x, null).Output.data<float>().ToArray();
        }
        var reference = Output(ScanMode.Sequential);
        foreach (var scan in new[] { ScanMode.Fused, ScanMode.Log })
            Assert.True(RelativeError.Of(Output(scan), reference) < 1e-4, $"{name} {scan}");
        Assert.Equal(kind.Scans, CellKinds.Scans(name));
        Assert.True(!kind.Scans || kind.Mixing == PositionMixing.LinearRecurrence, "a scan evaluates a linear recurrence");
    }

    [Fact]
    public void EveryMinCellHasARegisteredClassicBaseline()
    {
        Assert.Contains(CellKinds.All, k => k.IsMin);
        foreach (var kind in CellKinds.All.Where(k => k.IsMin))
        {
            Assert.False(CellKinds.Get(kind.Baseline!).IsMin);
            Assert.NotNull(kind.WriteGate);
        }
        Assert.Equal(CellKinds.Names.Count, CellKinds.Names.Distinct().Count());
    }

    [Fact]
    public void AnUnknownKindIsNamedWithTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => CellKinds.Get("mingrux"));
        Assert.Contains("mingrux", e.Message);
        foreach (var name in CellKinds.Names) Assert.Contains(name, e.Message);
        Assert.False(CellKinds.IsMin("mingrux"));
    }

    [Fact]
    public void MinCellsRegisterTheirModulesOnceUnderTheReferenceNames()
    {
        using var gru = new MinGru(new CellOptions(4, Expansion: 2));
        Assert.Equal(["to_hidden_and_gate.weight", "to_out.weight"], gru.state_dict().Keys.ToArray());
        using var lstm = new MinLstm(new CellOptions(4, ForgetBias: 1));
        Assert.Equal(["to_hidden_and_gates.weight", "to_hidden_and_gates.bias"], lstm.state_dict().Keys.ToArray());
        Assert.Equal(1.0, lstm.state_dict()["to_hidden_and_gates.bias"][4].item<float>());    // order h̃, f, i: f starts at inner
    }

    /// <summary>The weight matrices' sizes: biases, conv kernels and per-channel parameters (Mamba's A_log, D) are not
    /// matrix products; the registry counts products only.</summary>
    private static long Matrices(RecurrentCell cell) =>
        cell.named_parameters().Where(p => p.name.Contains("weight") && p.parameter.dim() == 2).Sum(p => p.parameter.numel());
}
