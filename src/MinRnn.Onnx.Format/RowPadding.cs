namespace MinRnn.Onnx.Format;

/// <summary>Rows of different lengths as one batch, the way every MinRnn model with the lengths input takes them: each
/// row right-padded with zeros to `time` steps of `width` values (token ids: width 1; numeric steps: width F).</summary>
public static class RowPadding
{
    /// <summary>[rows.Count, time · width], row-major; rows longer than time · width values are an error.</summary>
    public static T[] Pad<T>(IReadOnlyList<T[]> rows, int time, int width)
    {
        var values = new T[rows.Count * time * width];
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r].Length > time * width) throw new ArgumentException($"rows: row {r} has {rows[r].Length} values, more than {time} steps of {width}");
            rows[r].CopyTo(values, r * time * width);
        }
        return values;
    }
}
