using MinRnn.Cells;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MinRnn.Runtime;

namespace MinRnn.Bench;

/// <summary>The files of a benchmark run: JSON (the command, the machine's floor, where it ran, every row), the Markdown
/// table (below a line saying where it ran, unless on the CPU alone) and, for train, the log–log plot.</summary>
public static class BenchReport
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Where a run's files go: into --out DIR as bench-KIND.json/.md (and bench-train.png), or, when only
    /// --json FILE is given, the table and plot beside it under its own name (FILE.md, FILE.png): nothing elsewhere.</summary>
    public sealed record Files(string Json, string Markdown, string? Plot)
    {
        public static Files For(string kind, string? outDir, string? jsonPath)
        {
            var json = jsonPath ?? Path.Combine(outDir ?? "bench", $"bench-{kind}.json");
            var stem = outDir is null ? Path.ChangeExtension(json, null) : Path.Combine(outDir, $"bench-{kind}");
            return new(json, stem + ".md", kind == "train" ? stem + ".png" : null);
        }

        public IEnumerable<string> All => Plot is null ? [Json, Markdown] : [Json, Markdown, Plot];
    }

    /// <summary>Writes the JSON, the table and (train) the plot; returns the table.</summary>
    public static string Write(string kind, string command, BenchRun run, Files files)
    {
        foreach (var dir in files.All.Select(Path.GetDirectoryName).Where(d => !string.IsNullOrEmpty(d))) Directory.CreateDirectory(dir!);
        Durable.WriteAtomic(files.Json, JsonSerializer.Serialize(new { command, machine = run.Machine, devices = run.Devices.Json(), results = run.Results }, Json));
        var table = (run.Devices.IsCpu ? "" : run.Devices.Summary() + "\n\n") + Table(kind, run.Results);
        Durable.WriteAtomic(files.Markdown, table);
        if (files.Plot is not null) Plot(run.Results, files.Plot);
        return table;
    }

    public static string Table(string kind, List<BenchResult> results)
    {
        var sb = new StringBuilder();
        if (kind == "train")
        {
            sb.AppendLine("| model | scan | T | median ms | min–max ms | peak MB | × baseline | floor ms | × floor | matmuls ms | GFLOP |");
            sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in results)
                sb.AppendLine(Invariant($"| {r.Model} | {r.Scan} | {r.SeqLen} | {r.MedianMs:F2} | {r.MinMs:F2}–{r.MaxMs:F2} | {r.PeakMemoryMb:F1} | {Ratio(r)} | ") +
                              Invariant($"{r.FloorMs:F2} | {r.MedianMs / r.FloorMs:F1} | ") +
                              Invariant($"{(r.MatmulMs is { } mm ? mm.ToString("F2", CultureInfo.InvariantCulture) : "–")} | {r.Flops / 1e9:F2} |"));
        }
        else
        {
            sb.AppendLine("| mode | model | scan | T | M tokens/s | rows/s | median ms | × baseline |");
            sb.AppendLine("|---|---|---|---:|---:|---:|---:|---:|");
            foreach (var r in results)
                sb.AppendLine(Invariant($"| {r.Bench.Replace("infer-", "")} | {r.Model} | {r.Scan} | {r.SeqLen} | {r.TokensPerSecond / 1e6:F3} | ") +
                              Invariant($"{(r.RowsPerSecond is { } rows ? rows.ToString("F0", CultureInfo.InvariantCulture) : "–")} | {r.MedianMs:F2} | {Ratio(r)} |"));
            if (results.Any(r => r.StateBytes is not null)) sb.AppendLine().Append(GenerationTable(results));
        }
        return sb.ToString();
    }

    /// <summary>The generation rows again by model: ms per token and the state's MB at each context position.</summary>
    private static string GenerationTable(List<BenchResult> results)
    {
        var rows = results.Where(r => r.StateBytes is not null).ToList();
        var positions = rows.Select(r => r.SeqLen).Distinct().Order().ToList();
        var sb = new StringBuilder();
        sb.AppendLine("Generation (one layer): median ms per generated token at context position T, the state's MB in brackets.");
        sb.AppendLine();
        sb.AppendLine($"| model | scan | {string.Join(" | ", positions.Select(p => $"T = {p}"))} |");
        sb.AppendLine($"|---|---|{string.Concat(positions.Select(_ => "---:|"))}");
        foreach (var g in rows.GroupBy(r => (r.Model, r.Scan)))
            sb.AppendLine($"| {g.Key.Model} | {g.Key.Scan} | " +
                          $"{string.Join(" | ", positions.Select(p => g.FirstOrDefault(r => r.SeqLen == p) is { } row ? Invariant($"{row.MedianMs:F3} ({row.StateBytes / 1e6:G4})") : "–"))} |");
        return sb.ToString();
    }

    private static string Ratio(BenchResult r) => r.RatioVsBaseline is { } x ? x.ToString("F2", CultureInfo.InvariantCulture) : "–";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>Time vs sequence length, log–log, one line per (model, scan), like the paper's Figure 1.</summary>
    public static void Plot(List<BenchResult> results, string path)
    {
        var plot = new ScottPlot.Plot();
        foreach (var g in results.GroupBy(r => (r.Model, r.Scan)))
        {
            var rows = g.OrderBy(r => r.SeqLen).ToList();
            var line = plot.Add.Scatter(rows.Select(r => Math.Log10(r.SeqLen)).ToArray(), rows.Select(r => Math.Log10(r.MedianMs)).ToArray());
            line.LegendText = g.Key.Scan == "native" ? g.Key.Model : $"{g.Key.Model} ({g.Key.Scan})";
        }
        var floorModel = results.Select(r => r.Model).FirstOrDefault(CellKinds.IsMin);
        var floor = results.Where(r => r.Model == floorModel).GroupBy(r => r.SeqLen).Select(g => g.First()).OrderBy(r => r.SeqLen).ToList();
        if (floor.Count > 0)
        {
            var f = plot.Add.Scatter(floor.Select(r => Math.Log10(r.SeqLen)).ToArray(), floor.Select(r => Math.Log10(r.FloorMs)).ToArray());
            f.LegendText = $"{floorModel} floor";
            f.LinePattern = ScottPlot.LinePattern.Dashed;
        }
        var xTicks = new ScottPlot.TickGenerators.NumericManual();
        foreach (var t in results.Select(r => r.SeqLen).Distinct().Order())
            xTicks.AddMajor(Math.Log10(t), t.ToString(CultureInfo.InvariantCulture));
        plot.Axes.Bottom.TickGenerator = xTicks;
        var yTicks = new ScottPlot.TickGenerators.NumericManual();
        for (var decade = -2; decade <= 5; decade++)
            foreach (var m in new[] { 1, 2, 5 })
                yTicks.AddMajor(Math.Log10(m * Math.Pow(10, decade)), (m * Math.Pow(10, decade)).ToString("G4", CultureInfo.InvariantCulture));
        plot.Axes.Left.TickGenerator = yTicks;
        plot.XLabel("sequence length T");
        plot.YLabel("forward + backward, ms (median)");
        plot.Title($"One layer, B = {results[0].Batch}, d = {results[0].Dim}, h = {results[0].Hidden}, {(results[0].Device == "cuda" ? results[0].DeviceName : $"{results[0].Threads} threads")}");
        plot.ShowLegend(ScottPlot.Alignment.UpperLeft);
        plot.SavePng(path, 900, 600);
    }
}
