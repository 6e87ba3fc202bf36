using MinRnn.Models;
using MinRnn.Onnx.Format;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Runtime;

/// <summary>Some rows of a ragged input, right-padded to the longest of them: values (Batch·Time·width, row-major; token
/// ids with width 1, numeric steps with width F; padding 0), each row's length in steps, and which input rows they are.</summary>
public sealed record PaddedBatch<T>(int[] Rows, T[] Values, int Batch, int Time, long[] Lengths);

/// <summary>One row's outputs at its own length: logits (T_row·vocab, row-major) and predictions (T_row).</summary>
public sealed record RowPrediction(float[] Logits, long[] Predictions);

/// <summary>Runs rows of any lengths a batch at a time: rows sorted by length (longest first, ties in input order) so each
/// batch pads little, each batch right-padded, and every row's outputs cut back to its own length, in input order. A
/// causal model's outputs at a row's real steps do not depend on what follows them, so they equal a one-row call. A row
/// is its steps' values in order, `width` values a step: token ids (width 1) or numeric steps (width F).</summary>
public static class PaddedBatches
{
    public static IEnumerable<PaddedBatch<T>> Plan<T>(IReadOnlyList<T[]> rows, int width, int batchSize)
    {
        if (batchSize < 1) throw new ArgumentException($"batch size: must be ≥ 1 (got {batchSize})");
        if (rows.FirstOrDefault(r => r.Length % width != 0) is { } ragged)
            throw new ArgumentException($"rows: a row of {ragged.Length} values is no whole number of steps of {width}");
        var order = Enumerable.Range(0, rows.Count).OrderByDescending(r => rows[r].Length).ToArray();
        for (var start = 0; start < order.Length; start += batchSize)
        {
            var members = order[start..Math.Min(start + batchSize, order.Length)];
            var time = rows[members[0]].Length / width;
            var values = RowPadding.Pad([.. members.Select(r => rows[r])], time, width);
            yield return new PaddedBatch<T>(members, values, members.Length, time, [.. members.Select(r => (long)(rows[r].Length / width))]);
        }
    }

    /// <summary>`run` maps a padded batch to its logits (B·T·vocab) and predictions (B·T); returns each row's, in input order.</summary>
    public static RowPrediction[] Run<T>(IReadOnlyList<T[]> rows, int width, int batchSize, int vocab, Func<PaddedBatch<T>, (float[] Logits, long[] Predictions)> run)
    {
        var results = new RowPrediction[rows.Count];
        foreach (var batch in Plan(rows, width, batchSize))
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

    /// <summary>A TorchSharp model on token rows of any lengths, `batchSize` rows per forward: each row's logits and
    /// predictions (argmax) at its own length.</summary>
    public static RowPrediction[] Predict(this SequenceModel model, IReadOnlyList<long[]> rows, int batchSize) =>
        Run(rows, 1, batchSize, model.Config.Vocab, b => Forward(model, () => tensor(b.Values, [b.Batch, b.Time])));

    /// <summary>A numeric TorchSharp model on rows of numeric steps (each T_row·F values, row-major), as the token rows.</summary>
    public static RowPrediction[] Predict(this SequenceModel model, IReadOnlyList<float[]> rows, int batchSize)
    {
        var f = model.Config.Features ?? throw new ArgumentException("features: the model reads token ids, not numeric steps");
        return Run(rows, f, batchSize, model.Config.Vocab, b => Forward(model, () => tensor(b.Values, [b.Batch, b.Time, f])));
    }

    /// <summary>One forward of a padded batch, its input made inside the batch's dispose scope.</summary>
    private static (float[] Logits, long[] Predictions) Forward(SequenceModel model, Func<Tensor> input)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var logits = model.Logits(input().to(model.parameters().First().device)).cpu().contiguous();
        return (logits.data<float>().ToArray(), logits.argmax(-1).contiguous().data<long>().ToArray());
    }
}
