using MinRnn.Cells;
using MinRnn.Onnx.Export;

namespace MinRnn.Onnx.Tests.Export;

/// <summary>Exporters are found by kind: every registered cell kind has exactly one, and none exports an unknown kind.</summary>
public class CellExportersTests
{
    [Fact]
    public void EveryRegisteredKindHasItsExporter()
    {
        foreach (var kind in CellKinds.All)
        {
            var exporter = CellExporters.For(kind.Name);
            Assert.Equal(kind.Name, exporter.Kind);
            var scan = exporter.Form(new OnnxExportOptions());
            Assert.Equal(kind.IsMin ? "scan" : "native", scan);
            Assert.Equal(kind.IsMin ? "chunked" : "native", exporter.Form(new OnnxExportOptions(OnnxForm.Chunked)));
        }
        var exporters = typeof(ICellExporter).Assembly.GetTypes().Count(t => typeof(ICellExporter).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false });
        Assert.Equal(CellKinds.All.Count, exporters);
        Assert.Throws<ArgumentException>(() => CellExporters.For("mingrux"));
    }
}
