using ScottPlot;

namespace MinRnn.Analysis.Compare;

/// <summary>The figures of a language-modelling study: bits per character against steps and against training seconds,
/// one panel per model family on a shared axis, and bits per character against the context length.</summary>
public static class LmFigures
{
    private const int PanelWidth = 460, PanelHeight = 340;

    /// <summary>Panels of kinds read together: each min cell beside the classic RNN it simplifies, then the two
    /// non-RNN baselines.</summary>
    public static readonly (string Title, string[] Models)[] Families =
    [
        ("minGRU and GRU", ["mingru", "gru"]),
        ("minLSTM and LSTM", ["minlstm", "lstm"]),
        ("Mamba and transformer", ["mamba", "transformer"]),
    ];

    /// <summary>Mean evaluation bits per character over seeds at each evaluation, against the step or the mean training
    /// seconds; every panel on the same y range so families compare across panels.</summary>
    public static string? LearningCurves(List<RunRecord> runs, SuiteFigures.CurveAxis axis, string dir)
    {
        var curves = runs.Where(r => r.Curve.Any(c => !double.IsNaN(c.Bpc))).GroupBy(r => r.Fields["model"])
            .ToDictionary(g => g.Key, g => Mean(g.ToList(), axis));
        var panels = Families.Where(f => f.Models.Any(curves.ContainsKey)).ToList();
        var others = curves.Keys.Except(Families.SelectMany(f => f.Models)).Order(StringComparer.Ordinal).ToArray();
        if (others.Length > 0) panels.Add(("other kinds", others));     // a kind the families do not name is still drawn
        if (panels.Count == 0) return null;
        var all = curves.Values.SelectMany(c => c.Bpc).ToList();
        var (low, high) = (all.Min(), Math.Min(all.Max(), all.Min() + 3));     // the first evaluations would squash the rest
        var multiplot = new Multiplot();
        multiplot.AddPlots(panels.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(1, panels.Count);
        for (var i = 0; i < panels.Count; i++)
        {
            var plot = multiplot.GetPlot(i);
            foreach (var model in panels[i].Models.Where(curves.ContainsKey))
            {
                var line = plot.Add.Scatter(curves[model].X, curves[model].Bpc);
                line.Color = ColorOf(model);
                line.MarkerSize = 3;
                line.LegendText = model;
            }
            plot.Axes.SetLimitsY(low - 0.05, high + 0.05);
            plot.Title(panels[i].Title);
            plot.XLabel(axis == SuiteFigures.CurveAxis.Steps ? "step" : "training seconds (mean over seeds)");
            plot.YLabel("evaluation bits per character");
            plot.ShowLegend(Alignment.UpperRight);
        }
        var name = axis == SuiteFigures.CurveAxis.Steps ? "lm_curves_steps.png" : "lm_curves_seconds.png";
        multiplot.SavePng(Path.Combine(dir, name), PanelWidth * panels.Count, PanelHeight);
        return name;
    }

    /// <summary>Mean bits per character at 1×, 2×, 4×, 8× the training context, one line per model (x on a log2 axis).</summary>
    public static string? Lengths(LmSuiteReport report, string dir)
    {
        if (report.Rows.Count == 0) return null;
        var plot = new Plot();
        var xs = report.Factors.Select(f => Math.Log2(f)).ToArray();
        foreach (var row in report.Rows)
        {
            var line = plot.Add.Scatter(xs, row.Bpc);
            line.Color = ColorOf(row.Model);
            line.LegendText = row.Model;
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var f in report.Factors) ticks.AddMajor(Math.Log2(f), $"{f}×");
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.XLabel("evaluation context / training context");
        plot.YLabel("bits per character");
        plot.Title("Beyond the training context: mean over seeds");
        plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(Path.Combine(dir, "lm_lengths.png"), 900, 560);
        return "lm_lengths.png";
    }

    /// <summary>A model's colour, the same in every figure: the families' kinds in order, any other kind after them
    /// (by a stable hash of its name).</summary>
    private static ScottPlot.Color ColorOf(string model)
    {
        var known = Families.SelectMany(f => f.Models).ToList();
        var index = known.IndexOf(model);
        return new ScottPlot.Palettes.Category10().GetColor(index >= 0 ? index : known.Count + model.Sum(c => c) % (10 - known.Count));
    }

    /// <summary>Per evaluation step present in any run: x (step or mean seconds) and mean bits per character over seeds.</summary>
    private static (double[] X, double[] Bpc) Mean(List<RunRecord> runs, SuiteFigures.CurveAxis axis)
    {
        var points = runs.SelectMany(r => r.Curve).Where(c => !double.IsNaN(c.Bpc)).GroupBy(c => c.Step).OrderBy(g => g.Key).ToList();
        return (points.Select(g => axis == SuiteFigures.CurveAxis.Steps ? g.Key : g.Average(c => c.Seconds)).ToArray(), points.Select(g => g.Average(c => c.Bpc)).ToArray());
    }
}
