using MinRnn.Models;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Runtime;

/// <summary>Some rows of a ragged input, right-padded to the longest of them: tokens (Batch·Time, row-major, padding id
/// 0), each row's length, and which input rows they are.</summary>
public sealed record PaddedBatch(int[] Rows, long[] Tokens, int Batch, int Time, long[] Lengths);

/// <summary>One row's outputs at its own length: logits (T_row·vocab, row-major) and predictions (T_row).</summary>
public sealed record RowPrediction(float[] Logits, long[] Predictions);

/// <summary>Runs rows of any lengths a batch at a time: rows sorted by length (longest first, ties in input order) so each
/// batch pads little, each batch right-padded, and every row's outputs cut back to its own length, in input order. A
/// causal model's outputs at a row's real steps do not depend on what follows them, so they equal a one-row call.</summary>
public static class PaddedBatches
{
    public static IEnumerable<PaddedBatch> Plan(IReadOnlyList<long[]> rows, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentException($"batch size: must be ≥ 1 (got {batchSize})");
        var order = Enumerable.Range(0, rows.Count).OrderByDescending(r => rows[r].Length).ToArray();
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var members = order[start..Math.Min(start + batchSize, order.Length)];
            var time = rows[members[0]].Length;
            var tokens = new long[members.Length * time];
            for (var b = 0; b < members.Length; b++) rows[members[b]].CopyTo(tokens, b * time);
            yield return new PaddedBatch(members, tokens, members.Length, time, [.. members.Select(r => (long)rows[r].Length)]);
        }
    }

    /// <summary>`run` maps a padded batch to its logits (B·T·vocab) and predictions (B·T); returns each row's, in input order.</summary>
    public static RowPrediction[] Run(IReadOnlyList<long[]> rows, int batchSize, int vocab, Func<PaddedBatch, (float[] Logits, long[] Predictions)> run)
    {
        var results = new RowPrediction[rows.Count];
        foreach (var batch in Plan(rows, batchSize))
        {
            var (logits, predictions) = run(batch);
            for (var b = 0; b < batch.Batch; b++)
            {
                var steps = (int)batch.Lengths[b];
                results[batch.Rows[b]] = new RowPrediction(logits.AsSpan(b * batch.Time * vocab, steps * vocab).ToArray(),
                    predictions.AsSpan(b * batch.Time, steps).ToArray());
            }
        }
        return results;
    }

    /// <summary>A TorchSharp model on rows of any lengths, `batchSize` rows per forward: each row's logits and
    /// predictions (argmax) at its own length.</summary>
    public static RowPrediction[] Predict(this SequenceModel model, IReadOnlyList<long[]> rows, int batchSize)
    {
        var device = model.parameters().First().device;
        return Run(rows, batchSize, model.Config.Vocab, b =>
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var logits = model.Logits(tensor(b.Tokens, [b.Batch, b.Time]).to(device)).cpu().contiguous();
            return (logits.data<float>().ToArray(), logits.argmax(-1).contiguous().data<long>().ToArray());
        });
    }
}
