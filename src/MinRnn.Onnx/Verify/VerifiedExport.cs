using MinRnn.Models;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Runtime;
using MinRnn.Runtime;
using MinRnn.Tasks;

namespace MinRnn.Onnx.Verify;

/// <summary>What onnx.checker said: skipped when Debian's python3-onnx is not installed.</summary>
public enum CheckerVerdict
{
    Skipped,
    Passed,
    Failed,
}

/// <summary>The outcome of a verified export: ONNX Runtime against TorchSharp, and onnx.checker's verdict with its
/// output, and ragged rows (the lengths input) against TorchSharp row by row (<see cref="RaggedVerifier"/>; null when the
/// full-row check already failed). The file exists only when Passed.</summary>
public sealed record VerifiedExportResult(VerifyReport Report, CheckerVerdict Checker, string CheckerOutput, VerifyReport? Ragged = null)
{
    public bool Passed => Report.Passed && (Ragged?.Passed ?? false) && Checker != CheckerVerdict.Failed;
}

/// <summary>Export, then verify, then publish: the model is written beside `path` as PATH.unverified, run in ONNX
/// Runtime against TorchSharp (<see cref="OnnxVerifier"/>) and through onnx.checker (when installed), and renamed to
/// `path` only if everything passes; otherwise nothing is left at either name.</summary>
public static class VerifiedExport
{
    public const string UnverifiedSuffix = ".unverified";

    /// <param name="threads">ONNX Runtime's intra-op threads (0: its default).</param>
    /// <param name="tolerance">Largest relative error of logits and states (<see cref="OnnxVerifier.Tolerance"/>).</param>
    public static VerifiedExportResult Run(SequenceModel model, ISequenceTask task, OnnxExportOptions options, string path,
        int threads = 0, double tolerance = OnnxVerifier.Tolerance)
    {
        var target = path + UnverifiedSuffix;
        try
        {
            OnnxExporter.Export(model, task, options, target);
            if (TestHooks.Fault(TestHooks.ExportVerify))                               // the reference no longer matches the file
                using (TorchSharp.torch.no_grad()) foreach (var p in model.parameters()) p.add_(TorchSharp.torch.randn_like(p));
            VerifyReport report, ragged;
            using (var onnx = OnnxModel.Load(target, threads: threads))
            {
                report = OnnxVerifier.Verify(model, onnx) with { Tolerance = tolerance };
                if (!report.Passed) return new VerifiedExportResult(report, CheckerVerdict.Skipped, "");
                ragged = RaggedVerifier.Verify(model, onnx, batch: 4, time: 37);
            }
            var result = new VerifiedExportResult(report, CheckerVerdict.Skipped, "", ragged);
            if (!ragged.Passed) return result;
            if (OnnxChecker.Available())
            {
                var (passed, output) = OnnxChecker.Check(target);
                result = result with { Checker = passed ? CheckerVerdict.Passed : CheckerVerdict.Failed, CheckerOutput = output };
            }
            if (result.Passed) File.Move(target, path, overwrite: true);
            return result;
        }
        finally
        {
            if (File.Exists(target)) File.Delete(target);
        }
    }
}
