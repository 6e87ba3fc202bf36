using MinRnn.Cells;
using MinRnn.Cells.Unrolling;
using MinRnn.Explain.Decomposition;
using MinRnn.Explain.Evaluation;
using MinRnn.Explain.Internals;
using MinRnn.Models;
using MinRnn.Tasks;
using static TorchSharp.torch;

namespace MinRnn.Explain.Study;

/// <summary>The figures of `minrnn explain`, from tensors to ExplainPlots; each returns the file names it wrote.</summary>
public static class ExplainFigures
{
    /// <summary>heatmap-METHOD-E.png: |attribution| of example e (answers × input positions), each row scaled to max 1;
    /// rows named by their output step, crosses on each answer's ground-truth positions.</summary>
    public static string Attribution(string outDir, string method, int e, Tensor attributions, TaskCases cases, ISequenceTask task)
    {
        var r = attributions.abs().to_type(float64).cpu();
        r = r / r.amax([-1], keepdim: true).clamp_min(1e-300);
        var file = $"heatmap-{method}-{e}.png";
        var mask = cases.Mask[e].cpu();                                          // (A, L)
        var truth = Enumerable.Range(0, cases.Targets.Count)
            .SelectMany(a => mask[a].nonzero().squeeze(1).data<long>().Select(p => ((int)p, a))).ToList();
        ExplainPlots.Heatmap(Path.Combine(outDir, file), ToArray(r), $"{method}, example {e}: |attribution| per answer (row max = 1)",
            "answer (output step)", cases.Targets.Steps.Select((t, a) => $"{a} (t={t})").ToArray(),
            RelevantPositions(cases, e), MarksLabel(task), truth);
        return file;
    }

    /// <summary>gates-layerL-E.png: the write gate b (z or i') per channel and position.</summary>
    public static List<string> Gates(string outDir, SequenceModel model, TaskCases cases, ISequenceTask task, int examples)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var files = new List<string>();
        var device = model.parameters().First().device;
        var (layers, _) = ModelTrace.Run(model, cases.Tokens.narrow(0, 0, Math.Max(examples, 1)).to(device));
        for (var l = 0; l < layers.Length; l++)
        {
            var b = ((IMinCell)model.Blocks[l].Cell).Gates(layers[l].CellInput).B.to_type(float64).cpu();   // (E, L, C)
            for (var e = 0; e < examples; e++)
            {
                var file = $"gates-layer{l}-{e}.png";
                var values = b[e].t();
                ExplainPlots.Heatmap(Path.Combine(outDir, file), ToArray(values), $"{model.Config.Cell} layer {l}, example {e}: write gate b ({CellKinds.Get(model.Config.Cell).WriteGate})",
                    "channel", Enumerable.Range(0, (int)values.shape[0]).Select(c => c.ToString()).ToArray(), RelevantPositions(cases, e), MarksLabel(task), []);
                files.Add(file);
            }
        }
        return files;
    }

    /// <summary>decomposition-layerL-0.png: the channel mean of α_{t,j} of example 0 (outputs × inputs).</summary>
    public static List<string> ImplicitAttention(string outDir, SequenceModel model, TaskCases cases, ISequenceTask task)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var files = new List<string>();
        var (layers, _) = ModelTrace.Run(model, cases.Tokens.narrow(0, 0, 1).to(model.parameters().First().device));
        for (var l = 0; l < layers.Length; l++)
        {
            var alpha = CellDecomposition.Of((IMinCell)model.Blocks[l].Cell, layers[l].CellInput).ChannelMean()[0].to_type(float64).cpu();
            var file = $"decomposition-layer{l}-0.png";
            ExplainPlots.Heatmap(Path.Combine(outDir, file), ToArray(alpha), $"{model.Config.Cell} layer {l}, example 0: mean over channels of α(t, j)",
                "output step t", Enumerable.Range(0, (int)cases.Tokens.shape[1]).Select(t => t.ToString()).ToArray(), RelevantPositions(cases, 0), MarksLabel(task), []);
            files.Add(file);
        }
        return files;
    }

    /// <summary>pca-layerL.png: hidden-state trajectories of the first examples; dots on every token but the filler
    /// (and the marker, drawn as squares, where the task has one).</summary>
    public static List<string> Pca(string outDir, List<PcaProjection> pca, TaskCases cases, ISequenceTask task, int examples)
    {
        var files = new List<string>();
        var length = (int)cases.Tokens.shape[1];
        var tokens = cases.Tokens.narrow(0, 0, examples);
        var ids = new int[examples, length];
        for (var e = 0; e < examples; e++)
            for (var t = 0; t < length; t++) ids[e, t] = (int)tokens[e, t].item<long>();
        int? marker = task.Vocabulary.Special.TryGetValue("marker", out var m) ? m : null;
        foreach (var p in pca)
        {
            var points = p.Projection.narrow(0, 0, examples).cpu();
            var array = new double[examples, length, 2];
            var flat = points.contiguous().data<double>().ToArray();
            Buffer.BlockCopy(flat, 0, array, 0, flat.Length * sizeof(double));
            var file = $"pca-layer{p.Layer}.png";
            ExplainPlots.Pca(Path.Combine(outDir, file), array, ids, (int)cases.Filler, marker, $"Hidden states of layer {p.Layer}: first two principal components", p.ExplainedVariance);
            files.Add(file);
        }
        return files;
    }

    /// <summary>The positions any answer of example e depends on (the union of its mask rows), in order.</summary>
    private static int[] RelevantPositions(TaskCases cases, int e) =>
        cases.Mask[e].any(0).nonzero().squeeze(1).data<long>().Select(p => (int)p).ToArray();

    /// <summary>The task's name for its relevant positions (selective copying: data tokens).</summary>
    private static string MarksLabel(ISequenceTask task) => task.Explanation?.RelevantName ?? "relevant positions";

    private static double[,] ToArray(Tensor matrix)
    {
        var (rows, cols) = ((int)matrix.shape[0], (int)matrix.shape[1]);
        var flat = matrix.contiguous().data<double>().ToArray();
        var result = new double[rows, cols];
        Buffer.BlockCopy(flat, 0, result, 0, flat.Length * sizeof(double));
        return result;
    }
}
