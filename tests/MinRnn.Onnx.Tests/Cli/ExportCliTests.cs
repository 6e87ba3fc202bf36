using MinRnn.Onnx.Verify;
using MinRnn.Training;
using Onnx;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Tests.Cli;

/// <summary>minrnn export: --verify, refusal to overwrite, bad options; safetensors out and back in through train --init-from.</summary>
public class ExportCliTests(TrainedRun run) : IClassFixture<TrainedRun>
{
    [Fact]
    public void VerifiedChunkedExportWithMetadata()
    {
        using var tmp = new TempFolder();
        var path = tmp["chunked.onnx"];
        var (code, stdout, err) = Minrnn.Run("export", "--run", run.Run, "--out", path, "--form", "chunked", "--chunk", "16", "--verify");
        Assert.True(code == 0, err + stdout);
        Assert.Contains("whole T=4096", stdout);
        Assert.Contains("verified", stdout);
        if (OnnxChecker.Available())                                   // without it, export says so (CheckerTests then report skipped)
            Assert.Contains("onnx.checker (full_check): ok", stdout);
        else
            Assert.Contains("onnx.checker skipped", err);
        var metadata = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("mingru", metadata["cell"]);
        Assert.Equal("chunked", metadata["form"]);
        Assert.Equal("16", metadata["chunk_size"]);
        Assert.Equal("5", metadata["noise_token"]);
        Assert.Equal("10", metadata["task_seq_len"]);
        Assert.False(File.Exists(path + ".unverified"));

        (code, _, err) = Minrnn.Run("export", "--run", run.Run, "--out", path);
        Assert.Equal(2, code);
        Assert.Contains("--out:", err);
        Assert.Contains("exists (use --force", err);
    }

    /// <summary>A tiny transformer trained through the CLI exports with --verify: ONNX Runtime against TorchSharp at
    /// T = 1, 37, 4096, in two pieces with the KV cache carried and on ragged rows, then onnx.checker; in the fused
    /// attention form by default, the explicit one with --attention explicit, and an unknown form is a one-line error.</summary>
    [Fact]
    public void TrainedTransformerExportsVerified()
    {
        using var tmp = new TempFolder();
        var (runDir, path) = (tmp["run"], tmp["transformer.onnx"]);
        var (code, stdout, err) = Minrnn.Run(["train", .. Minrnn.TinyTrain("transformer"), "--heads", "2", "--out", runDir]);
        Assert.True(code == 0, err + stdout);
        (code, stdout, err) = Minrnn.Run("export", "--run", runDir, "--out", path, "--form", "chunked", "--verify");
        Assert.True(code == 0, err + stdout);
        foreach (var line in new[] { "whole T=4096", "carried 20+17", "ragged pieces", "transformer × 1 (fused-attention, opset 17) verified" }) Assert.Contains(line, stdout);
        if (OnnxChecker.Available()) Assert.Contains("onnx.checker (full_check): ok", stdout);
        var metadata = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(("transformer", "fused-attention", "conv_state_0,state_h_0,state_pos_0"), (metadata["cell"], metadata["form"], metadata["states"]));
        Assert.False(metadata.ContainsKey("chunk_size"));

        var explicitPath = tmp["explicit.onnx"];
        (code, stdout, err) = Minrnn.Run("export", "--run", runDir, "--out", explicitPath, "--attention", "explicit");
        Assert.True(code == 0, err + stdout);
        Assert.Contains("transformer × 1 (attention, opset 17)", stdout);
        Assert.Equal("attention", ModelProto.Parser.ParseFrom(File.ReadAllBytes(explicitPath)).MetadataProps.Single(p => p.Key == "form").Value);
        (code, _, err) = Minrnn.Run("export", "--run", runDir, "--out", tmp["bad.onnx"], "--attention", "flash");
        Assert.Equal((2, "minrnn export: --attention: 'flash' is not one of explicit|fused"), (code, err.Trim()));
        Assert.False(File.Exists(tmp["bad.onnx"]));
    }

    /// <summary>A verification that fails (the test hook MINRNN_TEST_FAULT=export.verify changes TorchSharp's weights
    /// after the file is written): exit code 1, one line, nothing at --out, and with --force the old file unchanged.</summary>
    [Fact]
    public void FailedVerificationWritesNothing()
    {
        using var tmp = new TempFolder();
        var fault = new Dictionary<string, string> { [MinRnn.Runtime.TestHooks.FaultVariable] = "export.verify" };
        var path = tmp["m.onnx"];
        var (code, stdout, err) = MinRnn.Tests.Cli.MinrnnProcess.Run(["export", "--run", run.Run, "--out", path, "--verify"], fault);
        Assert.Equal(1, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.StartsWith("minrnn export: verification failed: ONNX Runtime and TorchSharp differ beyond", err);
        Assert.EndsWith($"{path} not written", err.Trim());
        Assert.Contains("FAIL", stdout);
        Assert.Empty(Directory.GetFileSystemEntries(tmp.Path));

        byte[] old = [1, 2, 3];
        File.WriteAllBytes(path, old);
        (code, _, err) = MinRnn.Tests.Cli.MinrnnProcess.Run(["export", "--run", run.Run, "--out", path, "--verify", "--force"], fault);
        Assert.Equal(1, code);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal(old, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFileSystemEntries(tmp.Path));

        (code, _, err) = MinRnn.Tests.Cli.MinrnnProcess.Run(["export", "--run", run.Run, "--out", path, "--verify", "--force"]);
        Assert.True(code == 0, err);                                     // without the fault the same command replaces it
        Assert.NotEqual(old, File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("--opset 18", "--opset: 18 is not supported (only 17)")]
    [InlineData("--form tree", "--form: 'tree' is not one of scan|chunked")]
    [InlineData("--format safetensors --verify", "--verify: applies to --format onnx only")]
    [InlineData("--format pickle", "--format: 'pickle' is not one of onnx|safetensors")]
    public void BadOptionsAreOneLineExitTwo(string options, string message)
    {
        using var tmp = new TempFolder();
        var path = tmp["m.onnx"];
        var (code, _, err) = Minrnn.Run(["export", "--run", run.Run, "--out", path, .. options.Split(' ')]);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void SafetensorsRoundTripThroughTrainInitFrom()
    {
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var weights = Path.Combine(dir, "w.safetensors");
        var (code, _, err) = Minrnn.Run("export", "--run", run.Run, "--out", weights, "--format", "safetensors");
        Assert.True(code == 0, err);

        // One step at a vanishing learning rate: the new run's checkpoint holds the imported weights.
        var second = Path.Combine(dir, "second");
        var train = Minrnn.TinyTrain("mingru").ToList();
        train[train.IndexOf("--steps") + 1] = "1";
        (code, _, err) = Minrnn.Run(["train", .. train, "--seed", "9", "--lr", "1e-30", "--init-from", weights, "--out", second]);
        Assert.True(code == 0, err);
        using var original = Checkpoint.LoadModel(run.Run, CPU);
        using var imported = Checkpoint.LoadModel(second, CPU);
        var a = original.state_dict();
        foreach (var (name, p) in imported.state_dict())
            RelativeError.AssertWithin(OnnxVerifier.Flat(p), OnnxVerifier.Flat(a[name]), 1e-6, name);

        File.WriteAllBytes(weights, File.ReadAllBytes(weights)[..100]);
        (code, _, err) = Minrnn.Run(["train", .. train, "--init-from", weights, "--out", Path.Combine(dir, "third")]);
        Assert.Equal(2, code);                                                           // after train's header line
        Assert.StartsWith("minrnn train: " + weights + ": not a safetensors file or truncated", err.Trim().Split('\n')[^1]);
        Assert.False(Directory.Exists(Path.Combine(dir, "third")));
    }
}
