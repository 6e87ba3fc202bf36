namespace MinRnn.Onnx.Format.Tests;

/// <summary>The one padding both runtimes use (minrnn's PaddedBatches, the ML.NET component's BatchRunner).</summary>
public class RowPaddingTests
{
    [Fact]
    public void RowsAreRightPaddedWithZerosToTheStepsTimesTheWidth()
    {
        long[][] tokens = [[1, 2, 3], [4], []];
        Assert.Equal([1L, 2, 3, 4, 0, 0, 0, 0, 0], RowPadding.Pad(tokens, time: 3, width: 1));
        float[][] steps = [[1f, 2f, 3f, 4f], [5f, 6f]];   // F = 2: two steps, then one
        Assert.Equal([1f, 2f, 3f, 4f, 0f, 0f, 5f, 6f, 0f, 0f, 0f, 0f], RowPadding.Pad(steps, time: 3, width: 2));
    }

    [Fact]
    public void ARowLongerThanTheBatchIsAnError()
    {
        var e = Assert.Throws<ArgumentException>(() => RowPadding.Pad<long>([[1, 2], [1, 2, 3]], time: 2, width: 1));
        Assert.Contains("row 1 has 3 values, more than 2 steps of 1", e.Message);
    }
}
