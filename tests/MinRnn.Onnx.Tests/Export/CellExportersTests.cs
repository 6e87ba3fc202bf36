using MinRnn.Cells;
using MinRnn.Onnx.Export;

namespace MinRnn.Onnx.Tests.Export;

/// <summary>Exporters are found by kind: every registered cell kind has exactly one, and none exports an unknown kind.</summary>
public class CellExportersTests
{
    /// <summary>Kinds whose exporter is still to be written (issue 17): export names them in a one-line error.</summary>
    private static readonly string[] NotYetExported = ["mamba"];

    /// <summary>The kinds the registry-driven export tests cover: every kind with an exporter.</summary>
    public static IEnumerable<string> Exported => CellKinds.Names.Except(NotYetExported);

    /// <summary>The form each kind writes for --form scan and --form chunked: min cells have both; the others one form,
    /// whatever --form says (ONNX's own RNN ops; the transformer's attention, which has no recurrence to chunk).</summary>
    private static (string Scan, string Chunked) Forms(CellKind kind) => (ExpectedForm(kind.Name, OnnxForm.Scan), ExpectedForm(kind.Name, OnnxForm.Chunked));

    /// <summary>The form written to the metadata for `--form form`.</summary>
    public static string ExpectedForm(string cell, OnnxForm form) =>
        CellKinds.IsMin(cell) ? form.ToString().ToLowerInvariant() : cell == "transformer" ? "attention" : "native";

    [Fact]
    public void KindsWithoutAnExporterFailWithTheirName()
    {
        foreach (var name in NotYetExported)
            Assert.Contains(name, Assert.Throws<NotSupportedException>(() => CellExporters.For(name)).Message);
    }

    [Fact]
    public void EveryRegisteredKindHasItsExporter()
    {
        foreach (var kind in CellKinds.All.Where(k => !NotYetExported.Contains(k.Name)))
        {
            var exporter = CellExporters.For(kind.Name);
            Assert.Equal(kind.Name, exporter.Kind);
            Assert.Equal(Forms(kind), (exporter.Form(new OnnxExportOptions()), exporter.Form(new OnnxExportOptions(OnnxForm.Chunked))));
        }
        var exporters = typeof(ICellExporter).Assembly.GetTypes().Count(t => typeof(ICellExporter).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false });
        Assert.Equal(CellKinds.All.Count - NotYetExported.Length, exporters);
        Assert.Throws<ArgumentException>(() => CellExporters.For("mingrux"));
    }
}
