using System.Text.Json;
using MinRnn.Runtime;

namespace MinRnn.Bench;

/// <summary>Where each case runs: a fresh `minrnn bench case JSON` process (no allocator or thread-pool state carried
/// from one case to the next), or this process.</summary>
public enum CaseProcess
{
    Child,
    InProcess,
}

/// <summary>A benchmark's measurements: the machine's floor (on the benchmark's device), one row per case (in the plan's
/// order), and where they ran.</summary>
public sealed record BenchRun(MachineFloor Machine, List<BenchResult> Results, BenchDevices Devices);

/// <summary>Runs a plan: the machine's floor measured once in-process, then every case `Rounds` times (round-robin, listed
/// order first, then shuffled), each round in a fresh process unless InProcess; rows combined over rounds, train rows
/// given their work, floor and matrix-product time, every row its ratio to its baseline.</summary>
public static class BenchRunner
{
    /// <summary>The arguments of `minrnn` that run one case and print its row as JSON (its last stdout line).</summary>
    public static string[] ChildArguments(BenchCase c) => ["bench", "case", JsonSerializer.Serialize(c)];

    /// <summary>The child's side of <see cref="ChildArguments"/>: the case's JSON in, the row's JSON out.</summary>
    public static string RunCase(string caseJson) =>
        JsonSerializer.Serialize(CellBench.Run(JsonSerializer.Deserialize<BenchCase>(caseJson)!));

    /// <summary>Benchmarks run oneDNN with every ISA it supports (as before the AVX2 cap of MinRnn.Runtime.OneDnnIsa, which
    /// guards a wrong-result bug of oneDNN's AVX-512 f32 LSTM inference at hidden sizes ≤ 16; the benchmark's sizes are
    /// larger), unless the user set ONEDNN_MAX_CPU_ISA.</summary>
    private static readonly Dictionary<string, string>? FullIsa =
        OneDnnIsa.SetByMinRnn ? new() { [OneDnnIsa.Variable] = "ALL" } : null;

    /// <summary>`write` receives the progress text for stderr: the floor, then per case its label and its result line.</summary>
    public static BenchRun Run(BenchOptions options, IReadOnlyList<BenchCase> cases, CaseProcess process, Action<string> write)
    {
        TorchSharp.torch.set_num_threads(options.Threads);
        var device = options.Devices.Device;
        var floor = MachineFloor.Measure((long)options.Batch * 1024, options.Dim, options.Hidden, device);
        var on = device == TorchSharp.DeviceType.CUDA ? $"cuda, {BenchDevices.GpuName()}" : $"{options.Threads} threads";
        write($"machine floor ({on}): matmul {floor.MatmulGflops:F1} GFLOP/s, memory {floor.BandwidthGBs:F1} GB/s\n");
        var rounds = options.Rounds;
        var runs = cases.Select(_ => new List<BenchResult>()).ToList();
        for (var round = 0; round < rounds; round++)                                   // round-robin: drifting noise hits every case
            foreach (var (i, n) in Order(cases.Count, round).Select((i, n) => (i, n)))
            {
                var c = cases[i];
                var at = $"[{round * cases.Count + n + 1}/{rounds * cases.Count}]" + (rounds > 1 ? $" round {round + 1}" : "");
                write(c.ModelFile is not null ? $"{at} {c.Bench} {c.ModelFile} … "
                    : $"{at} {c.Bench} {c.Model} {(c.Bench == "onnx" ? c.OnnxForm : c.Scan.ToString().ToLowerInvariant())} T={c.SeqLen} … ");
                var r = process == CaseProcess.InProcess ? CellBench.Run(c) : RunChild(c);
                write((c.Bench == "train" ? $"{r.MedianMs:F2} ms" : r.RowsPerSecond is { } rows ? $"{rows:F0} rows/s" : $"{r.TokensPerSecond / 1e6:F3} M tokens/s") + "\n");
                runs[i].Add(r);
            }
        var matmuls = new Dictionary<(string, int), double>();                          // measured here, after the children
        var results = cases.Select((c, i) =>
        {
            var r = BenchResults.Combine(runs[i]);
            if (c.Bench != "train") return r;
            var (tokens, key) = ((long)c.Batch * c.SeqLen, (c.Model, c.SeqLen));
            var work = MachineFloor.TrainWork(c.Model, c.Batch, c.SeqLen, c.Dim, c.Hidden);
            if (!matmuls.TryGetValue(key, out var matmulMs)) matmuls[key] = matmulMs = MachineFloor.MatmulMs(c.Model, tokens, c.Dim, c.Hidden, device);
            return r with { Flops = work.Flops, Bytes = work.Bytes, FloorMs = floor.FloorMs(work), MatmulMs = matmulMs, MatmulGflops = floor.MatmulGflops, BandwidthGBs = floor.BandwidthGBs };
        }).ToList();
        return new BenchRun(floor, BenchResults.WithRatios(results), options.Devices);
    }

    /// <summary>The order of the cases in a round: as listed first, then shuffled (seeded by the round), so that a slow
    /// spell of the machine does not meet the same neighbouring cases (a model and its baseline) every round.</summary>
    public static int[] Order(int count, int round)
    {
        var order = Enumerable.Range(0, count).ToArray();
        if (round > 0) new Random(round).Shuffle(order);
        return order;
    }

    private static BenchResult RunChild(BenchCase c)
    {
        using var p = SelfProcess.Start(ChildArguments(c), environment: FullIsa);
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidDataException($"bench child failed ({c.Model} T={c.SeqLen}): {stderr.Result.Split('\n')[0]}");
        return JsonSerializer.Deserialize<BenchResult>(stdout.Trim().Split('\n')[^1])!;
    }
}
