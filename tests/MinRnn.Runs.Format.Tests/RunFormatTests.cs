using System.Text.Json;

namespace MinRnn.Runs.Format.Tests;

/// <summary>The run-folder contract on its own: a metrics line as written and read back, the names readers look up,
/// selective copying's two spellings, and a library free of TorchSharp and of every other MinRnn assembly.</summary>
public class RunFormatTests
{
    private static readonly MetricsLine Line = new(7, 1.5, 0.25, 0.125, 1.75, 1e-3, 2.5)
        { TaskMetrics = new() { [RunFields.Bpc] = JsonSerializer.SerializeToElement(2.0) } };

    [Fact]
    public void AMetricsLineIsOneSnakeCaseObjectWithTheTasksMetricsAfterTheOthers()
    {
        Assert.Equal("""{"step":7,"loss":1.5,"accuracy":0.25,"sequence_accuracy":0.125,"train_loss":1.75,"lr":0.001,"elapsed_s":2.5,"bpc":2}""",
            Line.ToLine());
    }

    [Fact]
    public void AMetricsLineReadsBackWithItsTaskMetrics()
    {
        var read = MetricsLine.Parse(Line.ToLine());
        Assert.Equal(Line with { TaskMetrics = null }, read with { TaskMetrics = null });
        Assert.Equal(2.0, read.Bpc);
        Assert.Equal([RunFields.Bpc], read.TaskMetrics!.Keys);
        Assert.Null(MetricsLine.Parse((Line with { TaskMetrics = null }).ToLine()).Bpc);
        Assert.Throws<JsonException>(() => MetricsLine.Parse("""{"step":7,"loss":"""));   // a line torn by a kill
    }

    [Fact]
    public void EveryMetricsNameReadersLookUpIsOneTheLineWrites()
    {
        using var written = JsonDocument.Parse(Line.ToLine());
        foreach (var name in new[] { RunFields.Step, RunFields.Accuracy, RunFields.SequenceAccuracy, RunFields.ElapsedS, RunFields.Bpc })
            Assert.True(written.RootElement.TryGetProperty(name, out _), $"a metrics line lacks {name}");
    }

    [Fact]
    public void SelectiveCopyingIsReadUnderBothSpellings()
    {
        Assert.Equal(TaskNames.SelectiveCopy, TaskNames.Canonical(TaskNames.SelectiveCopyingFile));
        Assert.Equal(TaskNames.SelectiveCopy, TaskNames.Canonical(TaskNames.SelectiveCopy));
        Assert.Equal("char-lm", TaskNames.Canonical("char-lm"));
    }

    [Fact]
    public void TheLibraryReferencesNeitherTorchSharpNorAnotherMinRnnAssembly()
    {
        var references = typeof(RunFileNames).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.Contains("System.Text.Json", references);                                  // the check can see references
        Assert.DoesNotContain(references, r => r.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(references, r => r.StartsWith("MinRnn.", StringComparison.Ordinal));
    }
}
