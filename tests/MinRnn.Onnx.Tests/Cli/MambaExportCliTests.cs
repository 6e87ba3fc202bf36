using System.Buffers.Binary;
using System.Text.Json;
using MinRnn.Onnx.Verify;
using MinRnn.Training;
using Onnx;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Tests.Cli;

/// <summary>A tiny trained Mamba run (two layers, block conv, N = 4): `minrnn export --verify` in both forms, and its
/// parameters under the reference implementation's names (mamba_simple.py: in_proj, conv1d, x_proj, dt_proj, A_log, D,
/// out_proj) and shapes, read from the checkpoint and from the safetensors export's own header.</summary>
public class MambaExportCliTests(TrainedMambaRun trained) : IClassFixture<TrainedMambaRun>
{
    private const int Dim = TrainedMambaRun.Dim, StateSize = TrainedMambaRun.StateSize, Inner = 2 * Dim, Rank = 1;   // dt_rank ⌈d/16⌉
    private readonly string run = trained.Run;

    [Fact]
    public void VerifiedExportInBothForms()
    {
        foreach (var (form, chunk) in new[] { ("scan", "32"), ("chunked", "16") })
        {
            var path = trained.Folder[$"{form}.onnx"];
            var (code, stdout, err) = Minrnn.Run("export", "--run", run, "--out", path, "--form", form, "--chunk", chunk, "--verify");
            Assert.True(code == 0, err + stdout);
            Assert.Contains("whole T=4096", stdout);
            Assert.Contains("ragged pieces", stdout);
            Assert.Contains($"mamba × 2 ({form}, opset 17) verified", stdout);
            if (OnnxChecker.Available()) Assert.Contains("onnx.checker (full_check): ok", stdout);
            var proto = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path));
            var metadata = proto.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
            Assert.Equal(("mamba", form), (metadata["cell"], metadata["form"]));
            Assert.Equal("conv_state_0,state_h_0,state_conv_0,conv_state_1,state_h_1,state_conv_1", metadata["states"]);
            var h = proto.Graph.Output.Single(o => o.Name == "final_state_h_1").Type.TensorType.Shape.Dim;
            Assert.Equal([Inner, StateSize], h.Skip(1).Select(d => d.DimValue));
        }
    }

    [Fact]
    public void ParametersFollowTheReferenceNames()
    {
        var expected = new Dictionary<string, long[]>
        {
            ["in_proj.weight"] = [2 * Inner, Dim],
            ["conv1d.weight"] = [Inner, 1, 4],
            ["conv1d.bias"] = [Inner],
            ["x_proj.weight"] = [Rank + 2 * StateSize, Inner],
            ["dt_proj.weight"] = [Inner, Rank],
            ["dt_proj.bias"] = [Inner],
            ["A_log"] = [Inner, StateSize],
            ["D"] = [Inner],
            ["out_proj.weight"] = [Dim, Inner],
        };
        using var model = Checkpoint.LoadModel(run, CPU);
        var cell = model.state_dict().Where(p => p.Key.StartsWith("blocks.1.cell.")).ToDictionary(p => p.Key["blocks.1.cell.".Length..], p => p.Value.shape);
        Assert.Equal(expected.Keys.Order(), cell.Keys.Order());
        foreach (var (name, shape) in expected) Assert.Equal(shape, cell[name]);

        var weights = trained.Folder["w.safetensors"];
        var (code, _, err) = Minrnn.Run("export", "--run", run, "--out", weights, "--format", "safetensors");
        Assert.True(code == 0, err);
        var bytes = File.ReadAllBytes(weights);                                          // u64 header length, then JSON
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes)));
        foreach (var layer in new[] { 0, 1 })
            foreach (var (name, shape) in expected)
            {
                var entry = header.RootElement.GetProperty($"blocks.{layer}.cell.{name}");
                Assert.Equal(shape, entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));
            }
    }
}

/// <summary>`minrnn train` of a tiny Mamba (two layers, d = 8, expansion 2, N = 4, block conv 2), once per test class.</summary>
public sealed class TrainedMambaRun : IDisposable
{
    public const int Dim = 8, StateSize = 4;

    public TrainedMambaRun()
    {
        Run = Folder["run"];
        var args = Minrnn.TinyTrain("mamba").ToList();
        args[args.IndexOf("--layers") + 1] = "2";
        var (code, _, err) = Minrnn.Run(["train", .. args, "--expansion", "2", "--state-size", $"{StateSize}", "--out", Run]);
        if (code != 0) throw new InvalidOperationException($"train failed: {err}");
    }

    public TempFolder Folder { get; } = new();

    public string Run { get; }

    public void Dispose() => Folder.Dispose();
}
