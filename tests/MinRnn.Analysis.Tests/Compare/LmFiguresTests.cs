using MinRnn.Analysis.Compare;

namespace MinRnn.Analysis.Tests.Compare;

/// <summary>The language-modelling learning curves draw every kind: the families' panels, and one more for a kind they
/// do not name (a new cell kind must not vanish from the figure).</summary>
public class LmFiguresTests
{
    private static RunRecord Run(string model) =>
        new($"{model}/summary.json", new Dictionary<string, string> { ["model"] = model }, new Dictionary<string, double>(),
            [new CurvePoint(10, double.NaN, 1.0, 3.0), new CurvePoint(20, double.NaN, 2.0, 2.5)]);

    [Theory]
    [InlineData(new[] { "mingru", "gru" }, 1)]
    [InlineData(new[] { "mingru", "lstm", "transformer" }, 3)]
    [InlineData(new[] { "mingru", "minretain" }, 2)]
    public void EveryKindIsDrawnInAPanel(string[] models, int panels)
    {
        var dir = Directory.CreateTempSubdirectory("minrnn-lmfig-").FullName;
        try
        {
            var name = LmFigures.LearningCurves([.. models.Select(Run)], SuiteFigures.CurveAxis.Steps, dir);
            Assert.NotNull(name);
            var png = File.ReadAllBytes(Path.Combine(dir, name));
            Assert.Equal(460 * panels, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)));   // IHDR width
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
