using System.Diagnostics;
using MinRnn.Analysis.Statistics;

namespace MinRnn.Bench;

/// <summary>Timing with warm-up and repeats, and the process's peak resident memory (Linux /proc).</summary>
public static class Measurement
{
    /// <summary>One cold step under the peak-memory counter, then the timed steps of case c: a row whose tokens/s counts
    /// `tokensPerStep`, with where it ran; the caller sets what differs (scan, model, rows/s). `synchronize` (CUDA) ends
    /// every step before its timer stops.</summary>
    public static BenchResult Run(BenchCase c, Action step, double tokensPerStep, Action? synchronize = null)
    {
        var (rss, _) = Memory();
        ResetPeak();
        step();                                                         // cold step: allocations happen here
        synchronize?.Invoke();
        var (_, peak) = Memory();
        var times = Time(step, c.Warmup, c.Repeats, c.BudgetSeconds, synchronize);
        var median = Descriptive.Median(times);
        var (device, deviceName, provider) = BenchDevices.Of(c);
        return new BenchResult
        {
            Bench = c.Bench, Model = c.Model, SeqLen = c.SeqLen, Batch = c.Batch, Dim = c.Dim, Hidden = c.Hidden,
            Threads = c.Threads, Repeats = times.Count, MedianMs = median, MinMs = times.Min(), MaxMs = times.Max(),
            PeakMemoryMb = Math.Round(peak - rss, 1), TokensPerSecond = tokensPerStep / (median / 1e3),
            Device = device, DeviceName = deviceName, Provider = provider,
        };
    }

    /// <summary>Runs `warmup` untimed calls, then up to `repeats` timed ones (at least 3, stopping early once
    /// `budgetSeconds` is spent). Returns the times in ms, each stopped after `synchronize` (a GPU's queued kernels).</summary>
    public static List<double> Time(Action run, int warmup, int repeats, double budgetSeconds, Action? synchronize = null)
    {
        for (var i = 0; i < warmup; i++) run();
        synchronize?.Invoke();
        var times = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < repeats && (times.Count < 3 || total.Elapsed.TotalSeconds < budgetSeconds))
        {
            var clock = Stopwatch.StartNew();
            run();
            synchronize?.Invoke();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return times;
    }

    /// <summary>Resident set size now and its peak since the last ResetPeak, in MB (NaN where /proc is missing).</summary>
    public static (double Rss, double Peak) Memory()
    {
        if (!File.Exists("/proc/self/status")) return (double.NaN, double.NaN);
        double Field(string name) =>
            File.ReadLines("/proc/self/status").Where(l => l.StartsWith(name + ":"))
                .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024).FirstOrDefault(double.NaN);
        return (Field("VmRSS"), Field("VmHWM"));
    }

    /// <summary>Resets the kernel's peak-RSS counter to the current RSS (Linux ≥ 4.0).</summary>
    public static void ResetPeak()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
