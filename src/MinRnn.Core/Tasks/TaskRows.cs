using static TorchSharp.torch;

namespace MinRnn.Tasks;

/// <summary>Builds a <see cref="TaskBatch"/> row by row for tasks generated element by element: inputs, the
/// scored answers (every other target is TaskBatch.IgnoreIndex) and, optionally, each answer's relevant positions.</summary>
public sealed class TaskRows(int batch, int length, int answers, bool relevance)
{
    private readonly long[] inputs = new long[batch * length];
    private readonly long[] targets = Enumerable.Repeat(TaskBatch.IgnoreIndex, batch * length).ToArray();
    private readonly bool[]? mask = relevance ? new bool[batch * answers * length] : null;

    public int Length => length;

    public void Input(int row, ReadOnlySpan<int> tokens)
    {
        if (tokens.Length != length) throw new ArgumentException($"row of length {tokens.Length}, expected {length}");
        for (var t = 0; t < length; t++) inputs[row * length + t] = tokens[t];
    }

    /// <summary>The a-th answer of a row: `token` expected at output `step`, depending on input positions `relevant`.</summary>
    public void Answer(int row, int a, int step, int token, params ReadOnlySpan<int> relevant)
    {
        targets[row * length + step] = token;
        if (mask is null) return;
        foreach (var p in relevant) mask[(row * answers + a) * length + p] = true;
    }

    public TaskBatch ToBatch() => new(
        tensor(inputs, [batch, length], int64),
        tensor(targets, [batch, length], int64),
        mask is null ? null : tensor(mask, [batch, answers, length]));
}
