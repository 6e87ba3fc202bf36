using ScottPlot;

namespace MinRnn.Analysis.Compare;

/// <summary>Small multiples for a task suite: one panel per task, one line per model and depth (mean over seeds).</summary>
public static class SuiteFigures
{
    private const int PanelWidth = 420, PanelHeight = 300, Columns = 3;

    public enum CurveAxis { Steps, Seconds }

    /// <summary>Evaluation accuracy against training steps or wall-clock seconds (the min models' case is cost per step).</summary>
    public static string? LearningCurves(List<RunRecord> runs, CurveAxis axis, string dir)
    {
        var tasks = runs.Where(r => r.Curve.Count > 0 && r.Fields.ContainsKey("task")).GroupBy(r => r.Fields["task"]).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (tasks.Count == 0) return null;
        var methods = Methods(runs);
        return Panels(tasks.Select(t => (t.Key, (Action<Plot>)(plot =>
        {
            foreach (var method in methods)
            {
                var group = t.Where(r => Method(r) == method).ToList();
                if (group.Count == 0) continue;
                var steps = group.SelectMany(r => r.Curve.Select(c => c.Step)).Distinct().Order().ToArray();
                var points = steps.Select(s => group.Select(r => r.Curve.FirstOrDefault(c => c.Step == s)).Where(c => c.Step == s).ToList())
                    .Where(p => p.Count > 0).ToList();
                var xs = points.Select(p => axis == CurveAxis.Steps ? p[0].Step : p.Average(c => c.Seconds)).ToArray();
                var line = plot.Add.Scatter(xs, points.Select(p => p.Average(c => c.Accuracy)).ToArray());
                Style(line, methods, method);
            }
            plot.Axes.SetLimitsY(0, 1.02);
            plot.XLabel(axis == CurveAxis.Steps ? "step" : "training seconds (mean over seeds)");
            plot.YLabel("accuracy");
        }))).ToList(), methods, dir, axis == CurveAxis.Steps ? "suite_curves_steps.png" : "suite_curves_seconds.png");
    }

    /// <summary>Mean accuracy at the training length and its multiples, per task.</summary>
    public static string? LengthGeneralisation(TaskSuiteReport report, string dir)
    {
        if (report.Rows.Count == 0) return null;
        var methods = report.Rows.Select(r => $"{r.Model} L{r.Layers}").Distinct().ToList();
        double[] factors = [1, .. report.Factors.Select(f => (double)f)];
        var tasks = report.Rows.GroupBy(r => r.Task).Select(t => (t.Key, (Action<Plot>)(plot =>
        {
            foreach (var row in t)
                Style(plot.Add.Scatter(factors, row.Accuracy), methods, $"{row.Model} L{row.Layers}");
            plot.Add.HorizontalLine(report.Threshold).Color = Colors.Gray;
            plot.Axes.SetLimitsY(0, 1.02);
            plot.XLabel("length / training length");
            plot.YLabel("accuracy");
        }))).ToList();
        return Panels(tasks, methods, dir, "suite_lengths.png");
    }

    private static List<string> Methods(IEnumerable<RunRecord> runs) =>
        runs.Select(Method).Distinct().OrderBy(m => m, StringComparer.Ordinal).ToList();

    private static string Method(RunRecord r) => $"{r.Fields["model"]} L{r.Fields["layers"]}";

    /// <summary>Colour by model, line pattern by depth, so a panel reads at a glance.</summary>
    private static void Style(ScottPlot.Plottables.Scatter line, List<string> methods, string method)
    {
        var models = methods.Select(m => m.Split(' ')[0]).Distinct().ToList();
        line.Color = new ScottPlot.Palettes.Category10().GetColor(models.IndexOf(method.Split(' ')[0]));
        line.LinePattern = method.EndsWith("L1", StringComparison.Ordinal) ? LinePattern.Solid : LinePattern.Dashed;
        line.MarkerSize = 3;
        line.LegendText = method;
    }

    private static string Panels(List<(string Title, Action<Plot> Draw)> panels, List<string> methods, string dir, string name)
    {
        var multiplot = new Multiplot();
        var rows = (panels.Count + Columns - 1) / Columns;
        multiplot.AddPlots(panels.Count);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, Columns);
        for (var i = 0; i < panels.Count; i++)
        {
            var plot = multiplot.GetPlot(i);
            panels[i].Draw(plot);
            plot.Title(panels[i].Title);
            if (i == 0) plot.ShowLegend(Edge.Right);                       // one legend, beside the first panel
            else plot.HideLegend();
        }
        multiplot.SavePng(Path.Combine(dir, name), PanelWidth * Columns, PanelHeight * rows);
        return name;
    }
}
