using MinRnn.Models;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Verify;

/// <summary>ONNX Runtime on a right-padded batch with the lengths input against TorchSharp on each row alone, at the row's
/// own length: one call (one row full, one of length 1, the rest random), and two calls with ragged lengths in each and
/// the states carried. The padding is random input (tokens or numeric steps), so a leak from padded steps shows. Errors are element-wise,
/// |ort − torch| / max(|torch|, <see cref="Floor"/>), over each row's real steps and its final states (of a state that
/// grows with the sequence, the transformer's cache, the row's first entries: the rest is padding).</summary>
public static class RaggedVerifier
{
    /// <summary>Relative error allowed per element.</summary>
    public const double Tolerance = 1e-5;

    /// <summary>Below this magnitude the error is measured absolutely (logits and states are O(1)).</summary>
    public const double Floor = 1.0;

    public static VerifyReport Verify(SequenceModel model, OnnxModel onnx, int batch, int time, long seed = 0)
    {
        var random = new Random((int)seed);
        var generator = new Generator((ulong)seed);
        using var inputs = VerifyInputs.Random(model, batch, time, generator);
        var lengths = Enumerable.Range(0, batch).Select(b => b == 0 ? time : b == 1 ? 1 : random.NextInt64(1, time + 1)).ToArray();
        var whole = VerifyInputs.Run(onnx, inputs, lengths: lengths);
        var cases = new List<VerifyCase> { Compare($"ragged T={time}", model, onnx, [(inputs, lengths, whole)]) };

        var split = Math.Max(1, time / 2);
        using var second = VerifyInputs.Random(model, batch, time - split + 1, generator);
        using var first = inputs.narrow(1, 0, split);
        var firstLengths = lengths.Select(l => random.NextInt64(1, split + 1)).ToArray();
        var secondLengths = lengths.Select(l => random.NextInt64(1, time - split + 2)).ToArray();
        var r1 = VerifyInputs.Run(onnx, first, lengths: firstLengths);
        var carried = onnx.States.ToDictionary(s => s.Input, s => r1.States[s.Output]);
        var r2 = VerifyInputs.Run(onnx, second, carried, secondLengths);
        cases.Add(Compare($"ragged pieces {split}+{second.shape[1]}", model, onnx, [(first, firstLengths, r1), (second, secondLengths, r2)]));
        return new VerifyReport(cases, Tolerance);
    }

    /// <summary>Each row's real steps of every piece, joined, through TorchSharp from zeros; against the pieces' ORT
    /// logits at the real steps and the last piece's final states.</summary>
    private static VerifyCase Compare(string name, SequenceModel model, OnnxModel onnx, (Tensor Inputs, long[] Lengths, OnnxResult Result)[] pieces)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = model.parameters().First().device;
        var vocab = model.Config.Vocab;
        var last = pieces[^1].Result;
        double logitsErr = 0, stateErr = 0;
        long mismatches = 0;
        for (var b = 0; b < last.Batch; b++)
        {
            var row = cat(pieces.Select(p => p.Inputs[b].narrow(0, 0, p.Lengths[b])).ToArray(), 0).unsqueeze(0);
            var (refLogits, refState) = model.call(row.to(device), null);
            var expected = OnnxVerifier.Flat(refLogits);
            var expectedPredictions = refLogits.argmax(-1).cpu().data<long>().ToArray();
            var offset = 0;
            foreach (var (_, lengths, result) in pieces)
            {
                var steps = (int)lengths[b];
                var actual = result.Logits.AsSpan(b * result.Time * vocab, steps * vocab).ToArray();
                logitsErr = Math.Max(logitsErr, ElementwiseRelErr(actual, expected[(offset * vocab)..((offset + steps) * vocab)]));
                mismatches += result.Predictions.AsSpan(b * result.Time, steps).ToArray().Zip(expectedPredictions[offset..(offset + steps)]).LongCount(p => p.First != p.Second);
                offset += steps;
            }
            foreach (var s in onnx.States)
            {
                var reference = OnnxVerifier.Flat(s.Of(refState[s.Layer]));
                var width = last.States[s.Output].Length / last.Batch;                   // a growing state: the longest row's
                var actual = reference.Length <= width ? last.States[s.Output].AsSpan(b * width, reference.Length).ToArray() : [];
                stateErr = Math.Max(stateErr, ElementwiseRelErr(actual, reference));
            }
        }
        return new VerifyCase(name, last.Batch, pieces.Sum(p => p.Result.Time), logitsErr, mismatches, stateErr);
    }

    /// <summary>max_i |a_i − b_i| / max(|b_i|, Floor), in double (∞ on a length mismatch or NaN).</summary>
    public static double ElementwiseRelErr(float[] actual, float[] expected)
    {
        if (actual.Length != expected.Length) return double.PositiveInfinity;
        var worst = 0.0;
        for (var i = 0; i < actual.Length; i++)
        {
            var d = Math.Abs((double)actual[i] - expected[i]) / Math.Max(Math.Abs((double)expected[i]), Floor);
            worst = double.IsNaN(d) ? double.PositiveInfinity : Math.Max(worst, d);
        }
        return worst;
    }
}
