using MinRnn.Cells;
using MinRnn.Onnx.Export;

namespace MinRnn.Onnx.Tests.Export;

/// <summary>Exporters are found by kind: every registered cell kind has exactly one, and none exports an unknown kind.</summary>
public class CellExportersTests
{
    /// <summary>Kinds whose exporter is still to be written (issue 17): export names them in a one-line error.</summary>
    public static readonly string[] NotYetExported = ["transformer"];

    /// <summary>The kinds the registry-driven export tests cover: every kind with an exporter.</summary>
    public static IEnumerable<string> Exported => CellKinds.Names.Except(NotYetExported);

    /// <summary>Kinds exported as ONNX's own RNN ops: one form; every other kind has the scan and chunked forms.</summary>
    private static readonly string[] Native = ["gru", "lstm"];

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
            var native = Native.Contains(kind.Name);
            Assert.Equal(native ? "native" : "scan", exporter.Form(new OnnxExportOptions()));
            Assert.Equal(native ? "native" : "chunked", exporter.Form(new OnnxExportOptions(OnnxForm.Chunked)));
            Assert.Equal(!native, OnnxExporter.HasForms(kind.Name));
        }
        var exporters = typeof(ICellExporter).Assembly.GetTypes().Count(t => typeof(ICellExporter).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false });
        Assert.Equal(CellKinds.All.Count - NotYetExported.Length, exporters);
        Assert.Throws<ArgumentException>(() => CellExporters.For("mingrux"));
    }
}
