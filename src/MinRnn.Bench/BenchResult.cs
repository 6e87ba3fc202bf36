using MinRnn.Analysis.Statistics;
using MinRnn.Cells;
using System.Text.Json.Serialization;

namespace MinRnn.Bench;

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
    /// <summary>Generation rows: the bytes of the layer's state at the context position (seq_len); null for other rows.</summary>
    [JsonPropertyName("state_bytes")] public long? StateBytes { get; init; }
    /// <summary>Where the row ran: cpu|cuda (TorchSharp's device, or ONNX Runtime's provider for its rows), the GPU's name or
    /// "cpu", and the provider for ONNX Runtime rows (null for TorchSharp rows).</summary>
    [JsonPropertyName("device")] public string Device { get; init; } = "cpu";
    [JsonPropertyName("device_name")] public string DeviceName { get; init; } = "cpu";
    [JsonPropertyName("provider")] public string? Provider { get; init; }
}


/// <summary>Rows over rounds and against their baselines.</summary>
public static class BenchResults
{
    /// <summary>One configuration over its rounds: the median of the per-round medians (throughputs follow it), the
    /// extremes over all timed steps, the largest peak memory.</summary>
    public static BenchResult Combine(IReadOnlyList<BenchResult> rounds)
    {
        var (first, median) = (rounds[0], Descriptive.Median(rounds.Select(r => r.MedianMs).ToList()));
        var scale = first.MedianMs / median;                                           // per-step work is the same every round
        return first with
        {
            MedianMs = median, MinMs = rounds.Min(r => r.MinMs), MaxMs = rounds.Max(r => r.MaxMs), Repeats = rounds.Sum(r => r.Repeats),
            PeakMemoryMb = rounds.Max(r => r.PeakMemoryMb), TokensPerSecond = first.TokensPerSecond * scale,
            RowsPerSecond = first.RowsPerSecond * scale, Rounds = rounds.Count,
        };
    }

    /// <summary>Every row with its ratio to the baseline of the same family in the same run (<see cref="Ratio"/>).</summary>
    public static List<BenchResult> WithRatios(IReadOnlyList<BenchResult> results) =>
        [.. results.Select(r => r with { RatioVsBaseline = Ratio(r, results) })];

    /// <summary>Time (train) or tokens/s (infer) relative to the cell kind's baseline (minGRU → GRU, minLSTM → LSTM) at the
    /// same bench and length; ML.NET rows: rows/s relative to raw ONNX Runtime on the same rows. Null without a baseline row.</summary>
    public static double? Ratio(BenchResult r, IReadOnlyList<BenchResult> all)
    {
        if (r.RowsPerSecond is { } rows)                    // ML.NET rows against raw ONNX Runtime on the same rows
        {
            var mode = MlNetBench.Baseline(r.Bench);
            var raw = all.FirstOrDefault(x => x.Bench == mode && x.Model == r.Model && x.Scan == r.Scan && x.SeqLen == r.SeqLen);
            return raw?.RowsPerSecond is { } rawRows ? Math.Round(rows / rawRows, 4) : null;
        }
        var baseline = CellKinds.Find(r.Model)?.Baseline;
        var b = all.FirstOrDefault(x => x.Model == baseline && x.Bench == r.Bench && x.SeqLen == r.SeqLen);
        if (b is null) return null;
        return Math.Round(r.Bench == "train" ? r.MedianMs / b.MedianMs : r.TokensPerSecond / b.TokensPerSecond, 4);
    }
}
