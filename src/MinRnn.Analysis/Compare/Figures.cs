using System.Globalization;
using MinRnn.Analysis.Statistics;
using ScottPlot;

namespace MinRnn.Analysis.Compare;

/// <summary>The PNG figures of a comparison; each returns the file name it wrote, or null when the data has nothing to show.</summary>
public static class Figures
{
    private const int Width = 900, Height = 560;

    /// <summary>Every run as a point per group, with the group mean and its 95% t interval.</summary>
    public static string? Groups(ComparisonReport r, string dir)
    {
        if (r.Groups.Count == 0) return null;
        var plot = new Plot();
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var i = 0; i < r.Groups.Count; i++)
        {
            var g = r.Groups[i];
            var xs = g.Values.Select((_, k) => i + 0.25 * (k % 5 - 2) / 2.0).ToArray();
            var points = plot.Add.ScatterPoints(xs, g.Values);
            points.Color = Colors.Gray.WithAlpha(0.7);
            var mean = plot.Add.ScatterPoints(new[] { i + 0.3 }, new[] { g.Mean });
            mean.Color = Colors.Black;
            mean.MarkerSize = 9;
            if (!double.IsNaN(g.TCi[0]))
            {
                var bar = plot.Add.ErrorBar(new[] { i + 0.3 }, new[] { g.Mean }, new[] { g.Mean - g.TCi[0] });
                bar.Color = Colors.Black;
            }
            ticks.AddMajor(i, g.Label.Replace(' ', '\n'));
        }
        plot.Axes.Bottom.TickGenerator = ticks;
        plot.YLabel($"{r.Metric} ({MetricOrder.Describe(r.Direction)})");
        plot.Title($"{r.Metric} per group (points: runs; black: mean ± 95% t CI)");
        return Save(plot, dir, "groups.png");
    }

    /// <summary>Mean learning curve per group with a 95% t band across seeds.</summary>
    public static string? LearningCurves(List<RunRecord> runs, string[] by, string dir)
    {
        var groups = runs.Where(r => r.Curve.Count > 0).GroupBy(r => Comparison.Label(r, by)).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (groups.Count == 0) return null;
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var (g, i) in groups.Select((g, i) => (g, i)))
        {
            var steps = g.SelectMany(r => r.Curve.Select(c => c.Step)).Distinct().Order().ToArray();
            var rows = steps.Select(s => g.Select(r => r.Curve.FirstOrDefault(c => c.Step == s))
                .Where(c => c.Step == s && !double.IsNaN(c.Accuracy)).Select(c => c.Accuracy).DefaultIfEmpty(double.NaN).ToArray()).ToArray();
            var mean = rows.Select(v => v.Average()).ToArray();
            var ci = rows.Select(v => v.Length >= 2 ? Descriptive.MeanConfidenceInterval(v) : (v[0], v[0])).ToArray();
            var color = palette.GetColor(i);
            var band = plot.Add.FillY(steps.Select(s => (double)s).ToArray(), ci.Select(c => c.Item1).ToArray(), ci.Select(c => c.Item2).ToArray());
            band.FillColor = color.WithAlpha(0.2);
            band.LineColor = color.WithAlpha(0);
            var line = plot.Add.Scatter(steps.Select(s => (double)s).ToArray(), mean);
            line.Color = color;
            line.LegendText = g.Key;
            line.MarkerSize = 0;
        }
        plot.XLabel("step");
        plot.YLabel("evaluation accuracy");
        plot.Title("Learning curves: mean across seeds, 95% t band");
        plot.ShowLegend(Alignment.LowerRight);
        return Save(plot, dir, "learning_curves.png");
    }

    /// <summary>The layout of the paper's Table 1: the metric against the number of layers, one line per model.</summary>
    public static string? ByLayers(ComparisonReport r, string dir)
    {
        if (!r.By.Contains("model") || !r.By.Contains("layers")) return null;
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var models = r.Groups.GroupBy(g => g.Key["model"]).ToList();
        foreach (var (m, i) in models.Select((m, i) => (m, i)))
        {
            var rows = m.OrderBy(g => int.Parse(g.Key["layers"], CultureInfo.InvariantCulture)).ToList();
            var xs = rows.Select(g => double.Parse(g.Key["layers"], CultureInfo.InvariantCulture) + 0.04 * (i - models.Count / 2.0)).ToArray();
            var line = plot.Add.Scatter(xs, rows.Select(g => g.Mean).ToArray());
            line.Color = palette.GetColor(i);
            line.LegendText = m.Key;
            var err = plot.Add.ErrorBar(xs, rows.Select(g => g.Mean).ToArray(), rows.Select(g => double.IsNaN(g.TCi[0]) ? 0 : g.Mean - g.TCi[0]).ToArray());
            err.Color = palette.GetColor(i);
        }
        plot.XLabel("layers");
        plot.YLabel($"{r.Metric} ({MetricOrder.Describe(r.Direction)})");
        plot.Title($"{r.Metric} by depth (mean ± 95% t CI)");
        plot.ShowLegend(Alignment.LowerRight);
        return Save(plot, dir, "by_layers.png");
    }

    /// <summary>Demšar's critical-difference diagram: average ranks on an axis, groups closer than the CD joined.</summary>
    public static string? CriticalDifference(ComparisonReport r, string dir)
    {
        if (r.Friedman is not { } f || f.AverageRanks.Any(double.IsNaN)) return null;
        var plot = new Plot();
        var k = f.Methods.Length;
        plot.Add.Line(1, 0, k, 0).Color = Colors.Black;
        var order = f.Methods.Zip(f.AverageRanks).OrderBy(x => x.Second).ToList();
        for (var i = 0; i < order.Count; i++)
        {
            var (name, rank) = order[i];
            var y = -0.5 - 0.4 * i;
            plot.Add.Line(rank, 0, rank, y).Color = Colors.Black;
            var label = plot.Add.Text($"{name} ({rank.ToString("F2", CultureInfo.InvariantCulture)})", rank, y);
            label.LabelFontSize = 12;
        }
        var bar = 0.35;
        foreach (var (name, rank) in order)
        {
            var joined = order.Where(o => o.Second >= rank && o.Second - rank < f.CriticalDifference).ToList();
            if (joined.Count < 2) continue;
            var line = plot.Add.Line(joined[0].Second, bar, joined[^1].Second, bar);
            line.LineWidth = 4;
            line.Color = Colors.Black;
            bar += 0.2;
        }
        if (!double.IsNaN(f.CriticalDifference))
        {
            var cd = plot.Add.Line(1, 1.5, 1 + f.CriticalDifference, 1.5);
            cd.LineWidth = 2;
            cd.Color = Colors.Black;
            plot.Add.Text($"CD = {f.CriticalDifference.ToString("F2", CultureInfo.InvariantCulture)}", 1, 1.8);
        }
        plot.Axes.SetLimits(0.5, k + 0.5, -0.8 - 0.4 * k, 2.2);
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual();
        plot.XLabel($"average rank of {r.Metric} (1 = best; {MetricOrder.Describe(r.Direction)})");
        plot.Title($"Critical difference (Nemenyi, α = 0.05) over {f.Blocks.Length} task settings");
        return Save(plot, dir, "critical_difference.png");
    }

    private static string Save(Plot plot, string dir, string name)
    {
        plot.SavePng(Path.Combine(dir, name), Width, Height);
        return name;
    }
}
