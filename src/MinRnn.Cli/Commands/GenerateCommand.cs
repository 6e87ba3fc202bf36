using MinRnn.Generation;
using MinRnn.Onnx.Runtime;
using MinRnn.Tasks;
using MinRnn.Training;
using static TorchSharp.torch;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn generate: text from a char-lm checkpoint (TorchSharp) or its ONNX file (ONNX Runtime), one
/// character at a time with the state carried.</summary>
public static class GenerateCommand
{
    public const string Usage = """
        minrnn generate --run DIR | --onnx FILE --prompt TEXT --length N [--temperature T] [--top-k K] [--seed S]
                        [--out FILE] [--device auto|cpu|cuda] [--provider cpu|cuda] [--fallback-cpu] [--threads N]
            streams N characters after TEXT from a char-lm model: the prompt is read once, then each drawn character
            is fed back with the recurrent state carried (the prefix is never read again)
            --temperature 0 is greedy (default 1); --top-k samples among the K likeliest characters; the same --seed
            gives the same text from --run and --onnx (sampling happens in float64, outside the model)
            prompt characters outside the run's vocabulary are read as "unknown" (one warning)
            output: stdout as it is drawn, or --out FILE (written when done; progress on stderr)
        """;

    private const int ProgressEvery = 500;

    public static readonly OptionSet Options = new(["--run", "--onnx", "--prompt", "--length", "--temperature", "--top-k", "--seed", "--out",
            "--device", "--provider", "--threads"], ["--fallback-cpu"]);

    public static int Run(string[] argv)
    {
        var args = new Args(argv, Options);
        var (runDir, onnxPath) = (args.String("--run"), args.String("--onnx"));
        if ((runDir is null) == (onnxPath is null)) throw new UsageException("give exactly one of --run DIR or --onnx FILE");
        var prompt = args.Required("--prompt");
        if (prompt.Length == 0) throw new UsageException("--prompt: empty (generation starts from at least one character)");
        var length = args.Int("--length", 0, 1);
        if (!args.Has("--length")) throw new UsageException("--length: required");
        var options = new SamplingOptions(args.Double("--temperature", 1.0, 0), args.Has("--top-k") ? args.Int("--top-k", 0, 1) : null, args.Long("--seed", 0));
        var outPath = args.String("--out");
        if (onnxPath is not null && !File.Exists(onnxPath)) throw new UsageException($"--onnx: {onnxPath} does not exist");
        var threads = args.Int("--threads", 0, 0, 1024);

        using var model = onnxPath is not null ? OpenOnnx(args, onnxPath, threads, out var task) : OpenRun(args, runDir!, threads, out task);
        if (task.Encode(prompt).Unknowns is var unknowns and > 0)
            Console.Error.WriteLine($"minrnn generate: warning: {unknowns} prompt character(s) are not in the model's vocabulary; read as \"{CharLm.UnknownToken}\"");

        var count = 0;
        void Emit(string character)
        {
            if (outPath is null) Console.Write(character);
            else if (++count % ProgressEvery == 0) Console.Error.WriteLine($"minrnn generate: {count}/{length} characters");
        }
        var text = TextGenerator.Generate(model, task, prompt, length, options, Emit);
        if (outPath is null) Console.WriteLine();
        else
        {
            RunFiles.WriteAtomic(outPath, prompt + text);
            Console.Error.WriteLine($"minrnn generate: {length} characters after the prompt → {outPath}");
        }
        return 0;
    }

    private static ITokenStream OpenRun(Args args, string runDir, int threads, out CharLm task)
    {
        foreach (var option in new[] { "--provider", "--fallback-cpu" }.Where(args.Has))
            throw new UsageException($"{option}: applies to --onnx only (use --device with --run)");
        task = LanguageModel(Common.ReadRun(runDir).Task, runDir);
        if (threads > 0) set_num_threads(threads);
        var device = Devices.Resolve(args.Choice("--device", "auto", ["auto", "cpu", "cuda"]));
        return new TorchTokenStream(Checkpoint.LoadModel(runDir, device));
    }

    private static ITokenStream OpenOnnx(Args args, string path, int threads, out CharLm task)
    {
        if (args.Has("--device")) throw new UsageException("--device: applies to --run only (use --provider with --onnx)");
        var provider = Common.ParseEnum("--provider", args.String("--provider"), MinRnn.ML.ExecutionProvider.Cpu);
        var model = OnnxModel.Load(path, provider, args.Flag("--fallback-cpu"), threads, w => Console.Error.WriteLine($"minrnn generate: {w}"));
        try
        {
            task = LanguageModel(model.Task.Name == CharLm.TaskName ? model.Task.ToTask() : null, path, model.Task.Name);
            return new OnnxTokenStream(model);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private static CharLm LanguageModel(ISequenceTask? task, string source, string? name = null) =>
        task as CharLm ?? throw new UsageException($"{source}: a model of task {name ?? task?.Name} is not a language model (generate needs {CharLm.TaskName})");
}
