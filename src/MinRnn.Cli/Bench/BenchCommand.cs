using MinRnn.Cells;
using System.Text.Json;
using MinRnn.Models;
using MinRnn.Scans;

namespace MinRnn.Cli.Bench;

/// <summary>minrnn bench train|infer: every configuration in a fresh process (no allocator or thread-pool state
/// carried from one to the next), the machine's floor measured once in-process, a table, JSON and a plot.</summary>
public static class BenchCommand
{
    public const string Usage = """
        minrnn bench train|infer [--models mingru,minlstm,gru,lstm] [--scans auto,log,sequential]
                                 [--seq-lens 64,128,…,4096] [--batch 16] [--dim 64] [--hidden 128] [--threads 2]
                                 [--warmup 5] [--repeats 20] [--budget SECONDS] [--rounds 1] [--stream-steps 256]
                                 [--modes sequence,stream,onnx] [--onnx-forms scan,chunked|none] [--onnx-layers 2]
                                 [--mlnet DIR] [--mlnet-rows 256]
                                 [--json FILE] [--out DIR] [--force] [--in-process]
            train: forward+backward time of one layer and peak memory, against GRU/LSTM and the machine's floor
            infer: tokens/s for whole-sequence evaluation and for streaming (one token at a time, state carried)
            --rounds N: the whole list N times (listed order, then shuffled), every configuration in a fresh process
            each time (unless --in-process); a row gives the median of its per-round medians, robust to the machine's
            slow spells, and its repeats summed over the rounds
            --modes (infer): which of those to run, e.g. --modes onnx for the ONNX Runtime rows only
            --scans applies to the min models (auto = fused on CPU); GRU/LSTM run TorchSharp's native kernels
            infer also times whole models (vocab 16, --onnx-layers blocks) exported to ONNX and run in ONNX Runtime on
            the CPU: min cells in each of --onnx-forms, GRU/LSTM with the native ONNX ops (mode "onnx")
            --mlnet DIR: every exported model in DIR (e.g. models) on --mlnet-rows rows of its task (from
            its metadata), rows/s through the ML.NET component ("mlnet", baseline: a raw ONNX Runtime session one row per call,
            "ort-rows") and with BatchSize 64 ("mlnet-batch", baseline: raw ONNX Runtime, 64 rows per call, "ort-batch");
            --mlnet-only skips the other modes
        """;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>Benchmarks run oneDNN with every ISA it supports (as before the AVX2 cap of MinRnn.Runtime.OneDnnIsa, which
    /// guards a wrong-result bug of oneDNN's AVX-512 f32 LSTM inference at hidden sizes ≤ 16; the benchmark's sizes are
    /// larger), unless the user set ONEDNN_MAX_CPU_ISA.</summary>
    private static readonly Dictionary<string, string>? FullIsa =
        Runtime.OneDnnIsa.SetByMinRnn ? new() { [Runtime.OneDnnIsa.Variable] = "ALL" } : null;

    public static int Run(string[] argv)
    {
        if (argv.Length > 0 && argv[0] == "case")                     // the child process of one configuration
        {
            var c = JsonSerializer.Deserialize<BenchCase>(argv[1])!;
            Console.WriteLine(JsonSerializer.Serialize(CellBench.Run(c)));
            return 0;
        }
        var kind = argv.FirstOrDefault() is "train" or "infer" ? argv[0] : throw new UsageException($"bench: '{argv.FirstOrDefault()}' is not one of train|infer");
        var args = new Args(argv.Skip(1), ["--models", "--scans", "--seq-lens", "--batch", "--dim", "--hidden", "--threads", "--warmup",
            "--repeats", "--budget", "--rounds", "--stream-steps", "--json", "--out", "--modes", "--onnx-forms", "--onnx-layers", "--mlnet", "--mlnet-rows"],
            ["--force", "--in-process", "--mlnet-only"]);
        var models = List(args, "--models", string.Join(",", CellKinds.Names), CellKinds.Names);
        var scans = List(args, "--scans", "auto,log,sequential", ["auto", "fused", "log", "sequential"])
            .Select(s => Common.ParseEnum<ScanMode>("--scans", s, ScanMode.Auto)).Distinct().ToList();
        var seqLens = args.String("--seq-lens") is { } s0 ? s0.Split(',').Select(v => int.TryParse(v, out var n) && n >= 1 ? n : throw new UsageException($"--seq-lens: '{v}' is not a positive integer")).ToList()
            : Enumerable.Range(0, 7).Select(i => 64 << i).ToList();
        var (batch, dim, hidden) = (args.Int("--batch", 16, 1), args.Int("--dim", 64, 1), args.Int("--hidden", 128, 1));
        var threads = args.Int("--threads", Math.Min(2, Environment.ProcessorCount), 1, 1024);
        var rounds = args.Int("--rounds", 1, 1, 100);
        var outDir = args.String("--out") ?? "bench";
        var jsonPath = args.String("--json") ?? Path.Combine(outDir, $"bench-{kind}.json");
        if (File.Exists(jsonPath) && !args.Flag("--force")) throw new UsageException($"--json: {jsonPath} exists (use --force to replace it)");

        var onnxForms = args.String("--onnx-forms") == "none" ? [] : List(args, "--onnx-forms", "scan,chunked", ["scan", "chunked"]);
        var onnxLayers = args.Int("--onnx-layers", 2, 1, 64);
        var modes = List(args, "--modes", "sequence,stream,onnx", ["sequence", "stream", "onnx"]);
        if (kind == "train" && args.String("--modes") is not null) throw new UsageException("--modes: only for bench infer");
        var benches = kind == "train" ? ["train"]
            : modes.Where(m => m != "onnx" || onnxForms.Count > 0).Select(m => m == "onnx" ? m : "infer-" + m).ToList();
        var cases = (from bench in benches
                     from t in seqLens
                     from m in models
                     from scan in CellKinds.IsMin(m) && bench != "onnx" ? scans : [ScanMode.Auto]
                     from form in bench == "onnx" && CellKinds.IsMin(m) ? onnxForms : ["scan"]
                     select new BenchCase(bench, m, scan, t, batch, dim, hidden, threads, args.Int("--warmup", 5, 0),
                         args.Int("--repeats", 20, 1), args.Double("--budget", 15, 0), args.Int("--stream-steps", 256, 1), form, onnxLayers)).ToList();
        if (kind == "infer" && args.String("--mlnet") is { } mlnetDir)
        {
            if (!Directory.Exists(mlnetDir)) throw new UsageException($"--mlnet: folder {mlnetDir} does not exist");
            var files = Directory.GetFiles(mlnetDir, "*.onnx").Order().ToList();
            if (files.Count == 0) throw new UsageException($"--mlnet: no .onnx file in {mlnetDir}");
            if (args.Flag("--mlnet-only")) cases.Clear();
            cases.AddRange(from file in files
                           from mode in MlNetBench.Modes
                           select new BenchCase(mode, Path.GetFileNameWithoutExtension(file), ScanMode.Auto, 0, args.Int("--mlnet-rows", 256, 1), dim, hidden,
                               threads, args.Int("--warmup", 5, 0), args.Int("--repeats", 20, 1), args.Double("--budget", 15, 0), 0, ModelFile: Path.GetFullPath(file)));
        }

        Directory.CreateDirectory(outDir);                                              // every option checked by now
        TorchSharp.torch.set_num_threads(threads);
        var floor = MachineFloor.Measure((long)batch * 1024, dim, hidden);
        Console.Error.WriteLine($"machine floor ({threads} threads): matmul {floor.MatmulGflops:F1} GFLOP/s, memory {floor.BandwidthGBs:F1} GB/s");
        var runs = cases.Select(_ => new List<BenchResult>()).ToList();
        for (var round = 0; round < rounds; round++)                                   // round-robin: drifting noise hits every case
            foreach (var (i, n) in Order(cases.Count, round).Select((i, n) => (i, n)))
            {
                var c = cases[i];
                var at = $"[{round * cases.Count + n + 1}/{rounds * cases.Count}]" + (rounds > 1 ? $" round {round + 1}" : "");
                Console.Error.Write(c.ModelFile is not null ? $"{at} {c.Bench} {c.ModelFile} … "
                    : $"{at} {c.Bench} {c.Model} {(c.Bench == "onnx" ? c.OnnxForm : c.Scan.ToString().ToLowerInvariant())} T={c.SeqLen} … ");
                var r = args.Flag("--in-process") ? CellBench.Run(c) : RunChild(c);
                Console.Error.WriteLine(c.Bench == "train" ? $"{r.MedianMs:F2} ms" : r.RowsPerSecond is { } rows ? $"{rows:F0} rows/s" : $"{r.TokensPerSecond / 1e6:F3} M tokens/s");
                runs[i].Add(r);
            }
        var matmuls = new Dictionary<(string, int), double>();                          // measured here, after the children
        var results = cases.Select((c, i) =>
        {
            var r = Combine(runs[i]);
            if (c.Bench != "train") return r;
            var (tokens, key) = ((long)c.Batch * c.SeqLen, (c.Model, c.SeqLen));
            var work = MachineFloor.TrainWork(c.Model, tokens, c.Dim, c.Hidden);
            if (!matmuls.TryGetValue(key, out var matmulMs)) matmuls[key] = matmulMs = MachineFloor.MatmulMs(c.Model, tokens, c.Dim, c.Hidden);
            return r with { Flops = work.Flops, Bytes = work.Bytes, FloorMs = floor.FloorMs(work), MatmulMs = matmulMs, MatmulGflops = floor.MatmulGflops, BandwidthGBs = floor.BandwidthGBs };
        }).ToList();
        results = [.. results.Select(r => r with { RatioVsBaseline = Ratio(r, results) })];

        Runtime.Durable.WriteAtomic(jsonPath, JsonSerializer.Serialize(new { command = "minrnn bench " + string.Join(' ', argv), machine = floor, results }, Json));
        var table = BenchReport.Table(kind, results);
        Runtime.Durable.WriteAtomic(Path.Combine(outDir, $"bench-{kind}.md"), table);
        Console.WriteLine(table);
        if (kind == "train")
            BenchReport.Plot(results, Path.Combine(outDir, "bench-train.png"));
        Console.WriteLine($"→ {jsonPath}, {Path.Combine(outDir, $"bench-{kind}.md")}" + (kind == "train" ? $", {Path.Combine(outDir, "bench-train.png")}" : ""));
        return 0;
    }

    /// <summary>The order of the cases in a round: as listed first, then shuffled (seeded by the round), so that a slow
    /// spell of the machine does not meet the same neighbouring cases (a model and its baseline) every round.</summary>
    private static int[] Order(int count, int round)
    {
        var order = Enumerable.Range(0, count).ToArray();
        if (round > 0) new Random(round).Shuffle(order);
        return order;
    }

    /// <summary>One configuration over its rounds: the median of the per-round medians (throughputs follow it), the
    /// extremes over all timed steps, the largest peak memory.</summary>
    private static BenchResult Combine(List<BenchResult> rounds)
    {
        var (first, median) = (rounds[0], Measurement.Median(rounds.Select(r => r.MedianMs).ToList()));
        var scale = first.MedianMs / median;                                           // per-step work is the same every round
        return first with
        {
            MedianMs = median, MinMs = rounds.Min(r => r.MinMs), MaxMs = rounds.Max(r => r.MaxMs), Repeats = rounds.Sum(r => r.Repeats),
            PeakMemoryMb = rounds.Max(r => r.PeakMemoryMb), TokensPerSecond = first.TokensPerSecond * scale,
            RowsPerSecond = first.RowsPerSecond * scale, Rounds = rounds.Count,
        };
    }

    /// <summary>Time (train) or tokens/s (infer) relative to the baseline of the same family in the same run.</summary>
    private static double? Ratio(BenchResult r, List<BenchResult> all)
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

    private static List<string> List(Args args, string option, string fallback, IReadOnlyCollection<string> allowed) =>
        (args.String(option) ?? fallback).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(v => allowed.Contains(v) ? v : throw new UsageException($"{option}: '{v}' is not one of {string.Join("|", allowed)}")).Distinct().ToList();

    private static BenchResult RunChild(BenchCase c)
    {
        using var p = Sweep.SelfProcess.Start(["bench", "case", JsonSerializer.Serialize(c)], environment: FullIsa);
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidDataException($"bench child failed ({c.Model} T={c.SeqLen}): {stderr.Result.Split('\n')[0]}");
        return JsonSerializer.Deserialize<BenchResult>(stdout.Trim().Split('\n')[^1])!;
    }
}
