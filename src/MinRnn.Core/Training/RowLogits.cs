using MinRnn.Models;
using MinRnn.Tasks;
using static TorchSharp.torch;

namespace MinRnn.Training;

/// <summary>A TorchSharp model on labelled rows of any lengths and any input form (text, token ids, numeric steps),
/// `batchSize` rows a forward: rows sorted by length (longest first, ties in file order) so a batch pads little, each
/// batch padded after the rows' ends (LabelledTask.Inputs), every row's logits cut back to its own steps. A causal model's
/// outputs at a row's own steps do not depend on what follows them, so they equal the row run alone.</summary>
public static class RowLogits
{
    /// <summary>Each row's logits, its steps (≤ T) × vocab row-major, in the rows' order.</summary>
    public static float[][] Of(SequenceModel model, LabelledTask task, IReadOnlyList<LabelledRow> rows, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentException($"batch size: must be ≥ 1 (got {batchSize})");
        var (device, vocab) = (model.parameters().First().device, model.Config.Vocab);
        var steps = rows.Select(r => Math.Min(r.Steps, task.SeqLen)).ToArray();
        var order = Enumerable.Range(0, rows.Count).OrderByDescending(r => steps[r]).ToArray();
        var results = new float[rows.Count][];
        for (var start = 0; start < order.Length; start += batchSize)
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var members = order[start..Math.Min(start + batchSize, order.Length)];
            var length = steps[members[0]];
            var inputs = task.Inputs([.. members.Select(r => rows[r])], length);
            var logits = model.Logits(inputs.to(device)).cpu().to_type(ScalarType.Float32).contiguous().data<float>().ToArray();   // (B, L, vocab)
            for (var b = 0; b < members.Length; b++)
                results[members[b]] = logits.AsSpan(b * length * vocab, steps[members[b]] * vocab).ToArray();
        }
        return results;
    }
}
