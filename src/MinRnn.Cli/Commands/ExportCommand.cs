using MinRnn.Cells;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Runtime;
using MinRnn.Onnx.Verify;
using MinRnn.Training;

namespace MinRnn.Cli.Commands;

/// <summary>minrnn export: a run's checkpoint as an ONNX model (optionally verified against TorchSharp) or as safetensors.</summary>
public static class ExportCommand
{
    public static readonly string Usage = $"""
        minrnn export --run DIR --out FILE [--format onnx|safetensors] [--force] [--threads N]
            onnx:        [--form scan|chunked] [--chunk C] [--attention explicit|fused] [--opset 17] [--verify]
            --form       {UsageText.KindsWhere(k => OnnxExporter.HasForms(k.Name), ", ")}: scan = one ONNX Scan per layer over time (default); chunked = parallel
                         within chunks of C steps (default 32), a Scan across chunks (for long sequences on GPU).
                         Every kind's forms, its default first: {UsageText.OnnxForms()}
            --attention  {UsageText.KindsWhere(k => k.Mixing == PositionMixing.Attention, ", ")}: fused = ONNX Runtime's com.microsoft MultiHeadAttention (default; faster);
                         explicit = standard opset-17 ops only (MatMul, Where, Softmax), for other runtimes
            --verify     ONNX Runtime vs TorchSharp on random tokens, or a numeric model's random steps (T = 1, 37,
                         4096; and two pieces with the states carried): logits within 1e-4 relative, identical predictions, equal states; and
                         onnx.checker (full_check) when /usr/bin/python3 has the onnx module. FILE is written only if
                         everything passes.
            safetensors: the weights under their state-dict names (see the README)
        """;

    public static readonly OptionSet Options = new(["--run", "--out", "--format", "--form", "--chunk", "--attention", "--opset", "--threads"], ["--verify", "--force"]);

    public static int Run(string[] argv)
    {
        var args = new Args(argv, Options);
        var runDir = args.Required("--run");
        var outPath = args.Required("--out");
        var format = args.Choice("--format", "onnx", ["onnx", "safetensors"]);
        if (format == "safetensors")
            foreach (var option in new[] { "--form", "--chunk", "--attention", "--opset", "--verify" }.Where(args.Has))
                throw new UsageException($"{option}: applies to --format onnx only");
        var options = new OnnxExportOptions(
            Common.ParseEnum("--form", args.String("--form"), OnnxForm.Scan),
            args.Int("--chunk", 32, 1, 1024),
            args.Int("--opset", 17),
            Common.ParseEnum("--attention", args.String("--attention"), new OnnxExportOptions().Attention));
        if (!OnnxExportOptions.SupportedOpsets.Contains(options.Opset))
            throw new UsageException($"--opset: {options.Opset} is not supported (only {string.Join(", ", OnnxExportOptions.SupportedOpsets)})");
        if (Path.Exists(outPath) && !args.Flag("--force"))
            throw new UsageException($"--out: {outPath} exists (use --force to replace it)");
        var threads = args.Int("--threads", 0, 0, 1024);
        if (threads > 0) TorchSharp.torch.set_num_threads(threads);

        var config = Common.ReadRun(runDir);
        using var model = Checkpoint.LoadModel(runDir, TorchSharp.torch.CPU);
        if (Path.GetDirectoryName(Path.GetFullPath(outPath)) is { } parent) Directory.CreateDirectory(parent);
        if (format == "safetensors")
        {
            SafeTensors.SaveModel(model, outPath);
            Console.WriteLine($"{config.Model.Cell} × {config.Model.Layers}: {model.state_dict().Count} tensors → {outPath}");
            return 0;
        }

        var form = OnnxExporter.Form(config.Model.Cell, options);
        var line = $"{config.Model.Cell} × {config.Model.Layers} ({form}, opset {options.Opset})";
        if (!args.Flag("--verify"))
        {
            OnnxExporter.Export(model, config.Task, options, outPath);
            Console.WriteLine($"{line} → {outPath}");
            return 0;
        }
        var result = VerifiedExport.Run(model, config.Task, options, outPath, threads);
        foreach (var report in new[] { result.Report, result.Ragged }.OfType<VerifyReport>())
        {
            Console.WriteLine(report.Table());
            if (!report.Passed)
                throw new InvalidDataException($"verification failed: ONNX Runtime and TorchSharp differ beyond {report.Tolerance:E0} (table above); {outPath} not written");
        }
        if (result.Checker == CheckerVerdict.Failed) throw new InvalidDataException($"onnx.checker rejects the model: {result.CheckerOutput.Split('\n')[0]}");
        if (result.Checker == CheckerVerdict.Passed) Console.WriteLine("onnx.checker (full_check): ok");
        else Console.Error.WriteLine($"minrnn export: onnx.checker skipped ({OnnxChecker.Python} has no onnx module; apt-get install -y python3-onnx)");
        Console.WriteLine($"{line} verified → {outPath}");
        return 0;
    }
}
