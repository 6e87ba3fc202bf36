using MinRnn.Bench;
using MinRnn.Cells;
using MinRnn.ML;
using MinRnn.Onnx.Runtime;
using MinRnn.Scans;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn bench train|infer: every configuration in a fresh process (no allocator or thread-pool state
/// carried from one to the next), the machine's floor measured once in-process, a table, JSON and a plot.</summary>
public static class BenchCommand
{
    public static readonly string Usage = $"""
        minrnn bench train|infer [--models {UsageText.Kinds()}] [--scans auto,log,sequential]
                                 [--seq-lens 64,128,…,4096] [--batch 16] [--dim 64] [--hidden 128] [--threads 2]
                                 [--warmup 5] [--repeats 20] [--budget SECONDS] [--rounds 1] [--stream-steps 256]
                                 [--modes sequence,stream,onnx|generate] [--onnx-forms scan,chunked,attention,fused-attention|none] [--onnx-layers 2]
                                 [--mlnet DIR] [--mlnet-rows 256]
                                 [--device cpu|auto|cuda] [--provider cpu|cuda] [--fallback-cpu]
                                 [--json FILE] [--out DIR] [--force] [--in-process]
            files: --out DIR (default bench) gets bench-KIND.json, bench-KIND.md and (train) bench-train.png; --json FILE
            alone puts the JSON there and the table and plot beside it (FILE.md, FILE.png), and writes nothing else
            train: forward+backward time of one layer and peak memory, against GRU/LSTM and the machine's floor
            infer: tokens/s for whole-sequence evaluation and for streaming (one token at a time, state carried)
            --rounds N: the whole list N times (listed order, then shuffled), every configuration in a fresh process
            each time (unless --in-process); a row gives the median of its per-round medians, robust to the machine's
            slow spells, and its repeats summed over the rounds
            --modes (infer): which of those to run, e.g. --modes onnx for the ONNX Runtime rows only
            --modes generate (infer, only when asked): per-token latency and state memory of streaming generation at
            context position T = each --seq-lens value (the state after T tokens, then one more token from it)
            --scans applies to {UsageText.KindsWhere(k => k.Scans, ", ")} (auto = fused on CPU); the others ignore it
            train's floor counts the matrix products and the sequence mixing (a selective scan's updates, attention's T² products)
            infer also times whole models (vocab 16, --onnx-layers blocks) exported to ONNX and run in ONNX Runtime on
            the CPU: each kind in the --onnx-forms it has, or in its default (first) form when it has none of them
            ({UsageText.OnnxForms()}) (mode
            "onnx"); kinds without an ONNX exporter in this build are skipped there, with a note
            --mlnet DIR: every exported model in DIR (e.g. models) on --mlnet-rows rows of its task (from
            its metadata), rows/s through the ML.NET component ("mlnet", baseline: a raw ONNX Runtime session one row per call,
            "ort-rows") and with BatchSize 64 ("mlnet-batch", baseline: raw ONNX Runtime, 64 rows per call, "ort-batch");
            --mlnet-only skips the other modes
            --device cuda: the TorchSharp rows (train, sequence, stream) and the floor on the GPU, always with the
            log-space scan (auto = log there); --provider cuda (infer): the ONNX Runtime and ML.NET rows on ONNX Runtime's
            CUDA provider, always with the chunked form; without a GPU an error, or with --fallback-cpu a warning and
            the CPU. Rows and JSON say where they ran ("device", "device_name", "provider")
        """;

    public static readonly OptionSet Options = new(["--models", "--scans", "--seq-lens", "--batch", "--dim", "--hidden", "--threads", "--warmup",
            "--repeats", "--budget", "--rounds", "--stream-steps", "--json", "--out", "--modes", "--onnx-forms", "--onnx-layers", "--mlnet", "--mlnet-rows",
            "--device", "--provider"],
            ["--force", "--in-process", "--mlnet-only", "--fallback-cpu"]);

    public static int Run(string[] argv)
    {
        if (argv.Length > 0 && argv[0] == "case")                     // the child process of one configuration
        {
            Console.WriteLine(BenchRunner.RunCase(argv[1]));
            return 0;
        }
        var kind = argv.FirstOrDefault() is "train" or "infer" ? argv[0] : throw new UsageException($"bench: '{argv.FirstOrDefault()}' is not one of train|infer");
        var args = new Args(argv.Skip(1), Options);
        var models = args.Names("--models", string.Join(",", CellKinds.Names), CellKinds.Names);
        var scans = args.Names("--scans", "auto,log,sequential", ["auto", "fused", "log", "sequential"])
            .Select(s => Common.ParseEnum<ScanMode>("--scans", s, ScanMode.Auto)).Distinct().ToList();
        var seqLens = args.Ints("--seq-lens", string.Join(",", Enumerable.Range(0, 7).Select(i => 64 << i)), 1);
        var (batch, dim, hidden) = (args.Int("--batch", 16, 1), args.Int("--dim", 64, 1), args.Int("--hidden", 128, 1));
        var threads = args.Int("--threads", Math.Min(2, Environment.ProcessorCount), 1, 1024);
        var rounds = args.Int("--rounds", 1, 1, 100);
        var files = BenchReport.Files.For(kind, args.String("--out"), args.String("--json"));
        if (!args.Flag("--force") && files.All.FirstOrDefault(File.Exists) is { } existing)
            throw new UsageException($"{(existing == files.Json && args.Has("--json") ? "--json" : "--out")}: {existing} exists (use --force to replace it)");
        var onnxForms = args.String("--onnx-forms") == "none" ? [] : args.Names("--onnx-forms", "scan,chunked", BenchOptions.AllOnnxForms);
        var onnxLayers = args.Int("--onnx-layers", 2, 1, 64);
        var modes = args.Names("--modes", string.Join(",", BenchOptions.DefaultModes), BenchOptions.AllModes);
        if (kind == "train" && args.String("--modes") is not null) throw new UsageException("--modes: only for bench infer");
        var device = args.Choice("--device", "cpu", BenchDevices.DeviceNames);
        var provider = Common.ParseEnum("--provider", args.String("--provider"), ExecutionProvider.Cpu);
        if (kind == "train" && args.Has("--provider")) throw new UsageException("--provider: only for bench infer (train has no ONNX Runtime rows)");
        var options = new BenchOptions(kind, models, scans, seqLens, batch, dim, hidden, threads, args.Int("--warmup", 5, 0),
            args.Int("--repeats", 20, 1), args.Double("--budget", 15, 0), rounds, args.Int("--stream-steps", 256, 1), modes, onnxForms,
            onnxLayers, MlNetFiles(kind, args), args.Int("--mlnet-rows", 256, 1), args.Flag("--mlnet-only"))
        {
            Devices = BenchDevices.Resolve(device, provider, args.Flag("--fallback-cpu")),   // no GPU: exit 2 here, or warnings
        };
        foreach (var warning in options.Devices.Warnings) Console.Error.WriteLine($"minrnn bench: {warning}");
        var cases = BenchPlan.Cases(options);
        if (BenchPlan.WithoutExporter(options) is { Count: > 0 } skipped)
            Console.Error.WriteLine($"bench: no ONNX exporter for {string.Join(", ", skipped)} in this build: their onnx rows are skipped");

        var run = BenchRunner.Run(options, cases, args.Flag("--in-process") ? CaseProcess.InProcess : CaseProcess.Child, Console.Error.Write);
        Console.WriteLine(BenchReport.Write(kind, "minrnn bench " + string.Join(' ', argv), run, files));
        Console.WriteLine("→ " + string.Join(", ", files.All));
        return 0;
    }

    /// <summary>--mlnet DIR (infer only): its .onnx files, in order, each read once here so a corrupt or foreign one is
    /// bad input before anything is measured (the cases read them again in their own processes).</summary>
    private static List<string>? MlNetFiles(string kind, Args args)
    {
        if (kind != "infer" || args.String("--mlnet") is not { } dir) return null;
        if (!Directory.Exists(dir)) throw new UsageException($"--mlnet: folder {dir} does not exist");
        var files = Directory.GetFiles(dir, "*.onnx").Order().ToList();
        foreach (var file in files) OnnxModel.ReadHeader(file);
        return files.Count > 0 ? files : throw new UsageException($"--mlnet: no .onnx file in {dir}");
    }
}
