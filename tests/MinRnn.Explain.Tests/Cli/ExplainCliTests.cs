using System.Text.Json;
using MinRnn.Cells;
using MinRnn.Models;
using MinRnn.Tasks;
using MinRnn.Training;

namespace MinRnn.Explain.Tests.Cli;

/// <summary>Tiny trained runs (minGRU, GRU, Mamba, transformer), shared by the CLI tests.</summary>
public sealed class TinyRuns : IDisposable
{
    private readonly TempFolder folder = new();

    public TinyRuns() => (MinGru, Gru, Mamba, Transformer) = (Train("mingru"), Train("gru"), Train("mamba"), Train("transformer"));

    public string MinGru { get; }
    public string Gru { get; }
    public string Mamba { get; }
    public string Transformer { get; }

    public void Dispose() => folder.Dispose();

    private string Train(string cell)
    {
        var dir = folder[cell];
        var config = new RunConfig(new ModelConfig(cell, Layers: 1, Vocab: 6, Dim: 8), new SelectiveCopying(10, 2, 6),
            new TrainOptions(Steps: 30, Batch: 8, EvalEvery: 15, CheckpointEvery: 15, EvalSize: 16, Device: "cpu"));
        Trainer.Run(config, dir);
        return dir;
    }
}

/// <summary>`minrnn explain` as a user runs it: files written, refusal to overwrite, bad input → one line, exit 2.</summary>
public class ExplainCliTests(TinyRuns runs) : IClassFixture<TinyRuns>
{
    private static (int Code, string Out, string Err) Minrnn(params string[] args) => MinRnn.Tests.Cli.MinrnnProcess.Run(args);

    private static readonly string[] Fast = ["--samples", "6", "--examples", "1", "--ig-steps", "8", "--device", "cpu"];

    [Fact]
    public void WritesScoresFiguresAndRefusesToOverwrite()
    {
        using var tmp = new TempFolder();
        var outDir = tmp["explain"];
        var (code, stdout, err) = Minrnn(["explain", "--run", runs.MinGru, "--out", outDir, .. Fast]);
        Assert.True(code == 0, err);
        Assert.Contains("decomposition", stdout);
        var json = Path.Combine(outDir, "explain.json");
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        var methods = root.GetProperty("methods");
        foreach (var name in new[] { "saliency", "ixg", "ig", "occlusion", "decomposition" })
        {
            var m = methods.GetProperty(name);
            foreach (var field in new[] { "pointing_game", "relevance_mass", "relevance_rank", "deletion_auc", "insertion_auc", "randomization_rank_corr" })
                Assert.True(m.TryGetProperty(field, out _), $"{name}.{field}");
            Assert.Equal(name == "ig", m.TryGetProperty("ig_completeness_delta", out _));
            Assert.Equal(name == "ig", m.TryGetProperty("ig_completeness_max_relative", out _));
            Assert.InRange(m.GetProperty("pointing_game").GetDouble(), 0, 1);
        }
        var settings = root.GetProperty("settings");
        Assert.Equal(1.0 / 12, settings.GetProperty("chance").GetDouble(), 12);
        Assert.Equal("kink-aware", settings.GetProperty("ig_rule").GetString());           // the default
        Assert.Equal(8, settings.GetProperty("ig_steps").GetInt32());
        Assert.Equal(1024, settings.GetProperty("ig_kink_grid").GetInt32());
        Assert.InRange(settings.GetProperty("ig_nodes_mean").GetDouble(), 10, settings.GetProperty("ig_nodes_max").GetInt32());
        Assert.Equal(3, root.GetProperty("gates").GetArrayLength());             // 1 layer × data, noise, marker
        foreach (var file in new[] { "explain.md", "heatmap-ig-0.png", "heatmap-decomposition-0.png", "gates-layer0-0.png", "decomposition-layer0-0.png", "pca-layer0.png" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        Assert.Contains("| occlusion |", File.ReadAllText(Path.Combine(outDir, "explain.md")));

        var before = File.ReadAllText(json);
        (code, _, err) = Minrnn(["explain", "--run", runs.MinGru, "--out", outDir, .. Fast]);
        Assert.Equal(2, code);
        Assert.Contains("already holds explain.json; use --force", err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal(before, File.ReadAllText(json));
        (code, _, err) = Minrnn(["explain", "--run", runs.MinGru, "--out", outDir, "--method", "occlusion", "--force", .. Fast]);
        Assert.True(code == 0, err);
        Assert.Single(JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("methods").EnumerateObject());
    }

    [Fact]
    public void BaselineRunsGetEveryMethodButTheDecomposition()
    {
        using var tmp = new TempFolder();
        var outDir = tmp["explain"];
        var (code, _, err) = Minrnn(["explain", "--run", runs.Gru, "--out", outDir, "--method", "all", "--ig-rule", "gauss-legendre", .. Fast]);
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "explain.json"))).RootElement;
        var settings = root.GetProperty("settings");
        Assert.Equal("gauss-legendre", settings.GetProperty("ig_rule").GetString());
        Assert.False(settings.TryGetProperty("ig_kink_grid", out _));
        Assert.Equal(8, settings.GetProperty("ig_nodes_max").GetInt32());
        Assert.False(root.GetProperty("methods").TryGetProperty("decomposition", out _));
        Assert.True(root.GetProperty("methods").TryGetProperty("occlusion", out _));
        Assert.StartsWith("none: the cell's gates read h_{t−1}", settings.GetProperty("decomposition").GetString());   // not the min cells' formula
        (code, _, err) = Minrnn(["explain", "--run", runs.Gru, "--out", Path.Combine(outDir, "d"), "--method", "decomposition", .. Fast]);
        Assert.Equal(2, code);
        Assert.Contains($"--method: decomposition needs a {CellCases.Named(PositionMixing.LinearRecurrence)} run (this run is gru)", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Theory]
    [InlineData("mamba", "decomposition", "attention-rollout", "--method: attention-rollout needs a {Attention} run (this run is mamba)")]
    [InlineData("transformer", "attention-rollout", "decomposition", "--method: decomposition needs a {LinearRecurrence} run (this run is transformer)")]
    public void NewKindsGetTheirOwnRolloutAndRefuseTheOther(string kind, string own, string other, string message)
    {
        using var tmp = new TempFolder();
        var outDir = tmp["explain"];
        var run = kind == "mamba" ? runs.Mamba : runs.Transformer;
        var (code, stdout, err) = Minrnn(["explain", "--run", run, "--out", outDir, .. Fast]);
        Assert.True(code == 0, err);
        Assert.Contains(own, stdout);
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "explain.json"))).RootElement;
        var methods = root.GetProperty("methods").EnumerateObject().Select(m => m.Name).ToArray();
        Assert.Equal(["saliency", "ixg", "ig", "occlusion", own], methods);
        Assert.InRange(root.GetProperty("methods").GetProperty(own).GetProperty("pointing_game").GetDouble(), 0, 1);
        Assert.Equal(10, root.GetProperty("settings").GetProperty("ig_nodes_max").GetInt32());   // no kinks: Gauss–Legendre, 8 + 2 nodes
        Assert.False(root.TryGetProperty("gates", out var gates) && gates.ValueKind != JsonValueKind.Null);   // min cells only
        foreach (var file in new[] { "explain.md", $"heatmap-{own}-0.png", "pca-layer0.png" })
            Assert.True(File.Exists(Path.Combine(outDir, file)), file);
        (code, _, err) = Minrnn(["explain", "--run", run, "--out", Path.Combine(outDir, "other"), "--method", other, .. Fast]);
        Assert.Equal(2, code);
        Assert.Contains(message.Replace("{Attention}", CellCases.Named(PositionMixing.Attention))
            .Replace("{LinearRecurrence}", CellCases.Named(PositionMixing.LinearRecurrence)), err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(outDir, "other")) && File.Exists(Path.Combine(outDir, "other", "explain.json")));
    }

    [Theory]
    [InlineData("--method lime", "--method: 'lime' is not one of all|saliency|ixg|ig|occlusion|decomposition|attention-rollout")]
    [InlineData("--samples 0", "--samples: 0 is out of range")]
    [InlineData("--ig-rule simpson", "--ig-rule: 'simpson' is not one of kink-aware|gauss-legendre|riemann")]
    [InlineData("--ig-kink-grid 0", "--ig-kink-grid: 0 is out of range")]
    [InlineData("--baseline mean", "--baseline: 'mean' is not one of noise|zeros")]
    [InlineData("--ig-steps x", "--ig-steps: 'x' is not an integer")]
    [InlineData("--bogus 1", "unknown option '--bogus'")]
    [InlineData("--no-out", "--out: required")]
    [InlineData("--missing-run", "does not exist")]
    public void BadInputGivesOneLineAndExitTwo(string argv, string message)
    {
        using var tmp = new TempFolder();
        var outDir = tmp["explain"];
        List<string> args = ["explain", "--run", argv == "--missing-run" ? Path.Combine(outDir, "nope") : runs.MinGru];
        if (argv != "--no-out") args.AddRange(["--out", outDir]);
        if (!argv.StartsWith("--no-", StringComparison.Ordinal) && argv != "--missing-run") args.AddRange(argv.Split(' '));
        var (code, _, err) = Minrnn([.. args]);
        Assert.Equal(2, code);
        Assert.Contains(message, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.False(File.Exists(Path.Combine(outDir, "explain.json")));
    }
}
