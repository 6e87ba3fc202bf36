using MinRnn.Models;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Verify;

/// <summary>One comparison: the worst relative error max|ort − torch| / max|torch| over the logits and over each final
/// state, and how many predictions differ.</summary>
public sealed record VerifyCase(string Name, int Batch, int Time, double LogitsRelErr, long PredictionMismatches, double StateRelErr)
{
    public bool Passed(double tolerance) => LogitsRelErr <= tolerance && PredictionMismatches == 0 && StateRelErr <= tolerance;
}

public sealed record VerifyReport(IReadOnlyList<VerifyCase> Cases, double Tolerance)
{
    public bool Passed => Cases.All(c => c.Passed(Tolerance));

    public string Table() => string.Join("\n",
        new[] { $"{"case",-22} {"B",3} {"T",6} {"logits rel err",15} {"pred diff",10} {"state rel err",14}" }
            .Concat(Cases.Select(c => $"{c.Name,-22} {c.Batch,3} {c.Time,6} {c.LogitsRelErr,15:E2} {c.PredictionMismatches,10} {c.StateRelErr,14:E2}  {(c.Passed(Tolerance) ? "ok" : "FAIL")}")));
}

/// <summary>ONNX Runtime against TorchSharp on random batches in the model's input form (VerifyInputs: tokens or numeric steps): whole sequences of several lengths (T = 1, a length
/// that is no multiple of the chunk size, T ≥ 4096), and a sequence fed in two pieces with the states carried.</summary>
public static class OnnxVerifier
{
    public const double Tolerance = 1e-4;

    public static readonly (int Batch, int Time)[] DefaultShapes = [(3, 1), (3, 37), (2, 4096)];

    public static VerifyReport Verify(SequenceModel model, OnnxModel onnx, IEnumerable<(int Batch, int Time)>? shapes = null,
        (int Batch, int Time, int Split)? carried = null, long seed = 0)
    {
        var cases = new List<VerifyCase>();
        var generator = new Generator((ulong)seed);
        foreach (var (b, t) in shapes ?? DefaultShapes)
        {
            using var inputs = VerifyInputs.Random(model, b, t, generator);
            var result = VerifyInputs.Run(onnx, inputs);
            cases.Add(Compare($"whole T={t}", model, onnx.States, inputs, result.Logits, result.Predictions, result.States));
        }
        var (cb, ct, split) = carried ?? (3, 37, 20);
        using (var inputs = VerifyInputs.Random(model, cb, ct, generator))
        {
            using var first = inputs.narrow(1, 0, split);
            using var second = inputs.narrow(1, split, ct - split);
            var r1 = VerifyInputs.Run(onnx, first);
            var carriedStates = onnx.States.ToDictionary(s => s.Input, s => r1.States[s.Output]);
            var r2 = VerifyInputs.Run(onnx, second, carriedStates);
            var logits = Interleave(r1.Logits, split, r2.Logits, ct - split, cb, model.Config.Vocab);
            var predictions = Interleave(r1.Predictions, split, r2.Predictions, ct - split, cb, 1);
            cases.Add(Compare($"carried {split}+{ct - split}", model, onnx.States, inputs, logits, predictions, r2.States));
        }
        return new VerifyReport(cases, Tolerance);
    }

    /// <summary>ORT's outputs against one TorchSharp call on the whole batch from the zero state.</summary>
    private static VerifyCase Compare(string name, SequenceModel model, IReadOnlyList<StateSpec> specs, Tensor inputs,
        float[] logits, long[] predictions, IReadOnlyDictionary<string, float[]> states)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = model.parameters().First().device;
        var (refLogits, refState) = model.call(inputs.to(device), null);
        var refPredictions = refLogits.argmax(-1).cpu().data<long>().ToArray();
        var mismatches = predictions.Zip(refPredictions).LongCount(p => p.First != p.Second);
        var stateErr = 0.0;
        foreach (var s in specs)
            stateErr = Math.Max(stateErr, RelErr(states[s.Output], Flat(s.Of(refState[s.Layer]))));
        return new VerifyCase(name, (int)inputs.shape[0], (int)inputs.shape[1], RelErr(logits, Flat(refLogits)), mismatches, stateErr);
    }

    /// <summary>max |a − b| / max(max |b|, 1e-30), in double.</summary>
    public static double RelErr(float[] actual, float[] expected)
    {
        if (actual.Length != expected.Length) return double.PositiveInfinity;
        double diff = 0, scale = 0;
        for (var i = 0; i < actual.Length; i++)
        {
            var d = Math.Abs((double)actual[i] - expected[i]);
            diff = double.IsNaN(d) ? double.PositiveInfinity : Math.Max(diff, d);
            scale = Math.Max(scale, Math.Abs((double)expected[i]));
        }
        return diff / Math.Max(scale, 1e-30);
    }

    public static float[] Flat(Tensor t)
    {
        using var cpu = t.detach().cpu().to_type(float32).contiguous();
        return cpu.data<float>().ToArray();
    }

    /// <summary>Joins two (B, T_i, width) row-major arrays along time.</summary>
    private static T[] Interleave<T>(T[] a, int ta, T[] b, int tb, int batch, int width)
    {
        var result = new T[a.Length + b.Length];
        for (var i = 0; i < batch; i++)
        {
            Array.Copy(a, i * ta * width, result, i * (ta + tb) * width, ta * width);
            Array.Copy(b, i * tb * width, result, (i * (ta + tb) + ta) * width, tb * width);
        }
        return result;
    }
}
