using System.Globalization;
using ScottPlot;

namespace MinRnn.Explain.Study;

/// <summary>PNG figures of explain: attribution heatmaps (output steps × input positions), gate heatmaps
/// (channels × positions) and hidden-state PCA trajectories. Data tokens are marked on the position axis.</summary>
public static class ExplainPlots
{
    /// <summary>A heatmap of values[row, position] with row 0 drawn at the top. `dataPositions` are marked by
    /// triangles under the map (legend `dataLabel`); `targets` (position, row) by crosses (the ground truth of each row).</summary>
    public static void Heatmap(string path, double[,] values, string title, string rowLabel, string[] rowNames,
        IReadOnlyList<int> dataPositions, string dataLabel, IReadOnlyList<(int Position, int Row)> targets)
    {
        var (rows, cols) = (values.GetLength(0), values.GetLength(1));
        var plot = new Plot();
        var map = plot.Add.Heatmap(values);
        map.Colormap = new ScottPlot.Colormaps.Viridis();
        map.Position = new CoordinateRect(0, cols - 1, 0, rows - 1);       // cell centres on integer coordinates
        plot.Add.ColorBar(map);
        double Y(int row) => rows - 1 - row;                                // row 0 is drawn at the top
        var band = Math.Max(0.6, rows / 25.0);                              // strip under the map for the data marks
        if (dataPositions.Count > 0)
        {
            var marks = plot.Add.Markers(dataPositions.Select(p => (double)p).ToArray(), dataPositions.Select(_ => -0.5 - band / 2).ToArray(),
                MarkerShape.FilledTriangleUp, 7, Colors.OrangeRed);
            marks.LegendText = dataLabel;
        }
        if (targets.Count > 0)
        {
            var hits = plot.Add.Markers(targets.Select(t => (double)t.Position).ToArray(), targets.Select(t => Y(t.Row)).ToArray(),
                MarkerShape.Eks, 9, Colors.Red);
            hits.LegendText = "ground truth";
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        var step = Math.Max(1, rows / 16);
        for (var r = 0; r < rows; r += step) ticks.AddMajor(Y(r), rowNames[r]);
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.SetLimits(-0.5, cols - 0.5, -0.5 - band, rows - 0.5);
        plot.Title(title);
        plot.XLabel("input position");
        plot.YLabel(rowLabel);
        if (dataPositions.Count > 0 || targets.Count > 0) plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, Math.Clamp(cols * 12 + 260, 700, 1600), Math.Clamp(rows * 14 + 200, 360, 1000));
    }

    /// <summary>Trajectories (example, position, 2) in the plane of the first two principal components; tokens other
    /// than the filler and the marker as large dots, the marker (when there is one) as squares.</summary>
    public static void Pca(string path, double[,,] points, int[,] tokens, int filler, int? marker, string title, double[] explained)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        for (var e = 0; e < points.GetLength(0); e++)
        {
            var length = points.GetLength(1);
            var (xs, ys) = (Enumerable.Range(0, length).Select(t => points[e, t, 0]).ToArray(), Enumerable.Range(0, length).Select(t => points[e, t, 1]).ToArray());
            var color = palette.GetColor(e);
            var line = plot.Add.Scatter(xs, ys, color);
            line.MarkerSize = 2;
            line.LegendText = $"example {e}";
            var data = Enumerable.Range(0, length).Where(t => tokens[e, t] != marker && tokens[e, t] != filler).ToArray();
            plot.Add.Markers(data.Select(t => xs[t]).ToArray(), data.Select(t => ys[t]).ToArray(), MarkerShape.FilledCircle, 9, color);
            var markers = Enumerable.Range(0, length).Where(t => tokens[e, t] == marker).ToArray();
            plot.Add.Markers(markers.Select(t => xs[t]).ToArray(), markers.Select(t => ys[t]).ToArray(), MarkerShape.FilledSquare, 8, color);
        }
        plot.Title(title);
        plot.XLabel($"PC1 ({(100 * explained[0]).ToString("F1", CultureInfo.InvariantCulture)} % of variance)");
        plot.YLabel($"PC2 ({(100 * explained[1]).ToString("F1", CultureInfo.InvariantCulture)} %)" + (marker is null ? "  • non-filler" : "  • data  ■ marker"));
        plot.ShowLegend(Alignment.UpperRight);
        plot.SavePng(path, 800, 650);
    }
}
