namespace MinRnn.Onnx.Format;

/// <summary>The rules for the <see cref="Signature.Lengths"/> input, checked before ONNX Runtime sees it (whose own
/// errors would be a multi-line native message, or no error at all: the graph clamps lengths to the time axis).</summary>
public static class RaggedLengths
{
    /// <summary>Throws a one-line ArgumentException unless `lengths` is an int64 vector of `batch` values in [1, time].</summary>
    public static void Check(Array lengths, int batch, int time)
    {
        if (lengths.Rank != 1) throw new ArgumentException($"lengths: rank {lengths.Rank}, expected a vector (batch) of int64");
        if (lengths is not long[] values) throw new ArgumentException($"lengths: {lengths.GetType().GetElementType()!.Name} values, expected int64");
        if (values.Length != batch) throw new ArgumentException($"lengths: {values.Length} values for a batch of {batch} rows");
        for (var b = 0; b < values.Length; b++)
            if (values[b] < 1 || values[b] > time)
                throw new ArgumentException($"lengths: row {b} has length {values[b]}, outside [1, {time}] (every row needs ≥ 1 real token and at most the time axis)");
    }
}
