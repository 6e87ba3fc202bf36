using System.Diagnostics;
using System.Text.Json.Serialization;

namespace MinRnn.Cli.Bench;

/// <summary>One benchmark row (JSON field names are the documented contract).</summary>
public sealed record BenchResult
{
    [JsonPropertyName("bench")] public string Bench { get; init; } = "train";
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("scan")] public string Scan { get; init; } = "";
    [JsonPropertyName("seq_len")] public int SeqLen { get; init; }
    [JsonPropertyName("batch")] public int Batch { get; init; }
    [JsonPropertyName("dim")] public int Dim { get; init; }
    [JsonPropertyName("hidden")] public int Hidden { get; init; }
    [JsonPropertyName("threads")] public int Threads { get; init; }
    [JsonPropertyName("repeats")] public int Repeats { get; init; }
    [JsonPropertyName("rounds")] public int Rounds { get; init; } = 1;
    [JsonPropertyName("median_ms")] public double MedianMs { get; init; }
    [JsonPropertyName("min_ms")] public double MinMs { get; init; }
    [JsonPropertyName("max_ms")] public double MaxMs { get; init; }
    [JsonPropertyName("peak_memory_mb")] public double PeakMemoryMb { get; init; }
    [JsonPropertyName("flops")] public double Flops { get; init; }
    [JsonPropertyName("bytes")] public double Bytes { get; init; }
    [JsonPropertyName("floor_ms")] public double FloorMs { get; init; }
    [JsonPropertyName("matmul_ms")] public double? MatmulMs { get; init; }
    [JsonPropertyName("matmul_gflops")] public double MatmulGflops { get; init; }
    [JsonPropertyName("bandwidth_gbs")] public double BandwidthGBs { get; init; }
    [JsonPropertyName("tokens_per_s")] public double TokensPerSecond { get; init; }
    [JsonPropertyName("rows_per_s")] public double? RowsPerSecond { get; init; }
    [JsonPropertyName("ratio_vs_baseline")] public double? RatioVsBaseline { get; init; }
}

/// <summary>Timing with warm-up and repeats, and the process's peak resident memory (Linux /proc).</summary>
public static class Measurement
{
    /// <summary>One cold step under the peak-memory counter, then the timed steps of case c: a row whose tokens/s counts
    /// `tokensPerStep`; the caller sets what differs (scan, model, rows/s).</summary>
    public static BenchResult Run(BenchCase c, Action step, double tokensPerStep)
    {
        var (rss, _) = Memory();
        ResetPeak();
        step();                                                         // cold step: allocations happen here
        var (_, peak) = Memory();
        var times = Time(step, c.Warmup, c.Repeats, c.BudgetSeconds);
        var median = Median(times);
        return new BenchResult
        {
            Bench = c.Bench, Model = c.Model, SeqLen = c.SeqLen, Batch = c.Batch, Dim = c.Dim, Hidden = c.Hidden,
            Threads = c.Threads, Repeats = times.Count, MedianMs = median, MinMs = times.Min(), MaxMs = times.Max(),
            PeakMemoryMb = Math.Round(peak - rss, 1), TokensPerSecond = tokensPerStep / (median / 1e3),
        };
    }

    /// <summary>Runs `warmup` untimed calls, then up to `repeats` timed ones (at least 3, stopping early once
    /// `budgetSeconds` is spent). Returns the times in ms.</summary>
    public static List<double> Time(Action run, int warmup, int repeats, double budgetSeconds)
    {
        for (var i = 0; i < warmup; i++) run();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < repeats && (times.Count < 3 || total.Elapsed.TotalSeconds < budgetSeconds))
        {
            var clock = Stopwatch.StartNew();
            run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    public static double Median(List<double> xs)
    {
        var s = xs.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }

    /// <summary>Resident set size now and its peak since the last ResetPeak, in MB (NaN where /proc is missing).</summary>
    public static (double Rss, double Peak) Memory()
    {
        if (!File.Exists("/proc/self/status")) return (double.NaN, double.NaN);
        double Field(string name) =>
            File.ReadLines("/proc/self/status").Where(l => l.StartsWith(name + ":")).Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).FirstOrDefault(double.NaN);
        return (Field("VmRSS"), Field("VmHWM"));
    }

    /// <summary>Resets the kernel's peak-RSS counter to the current RSS (Linux ≥ 4.0).</summary>
    public static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
