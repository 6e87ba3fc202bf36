using MinRnn.Cells;
using MinRnn.Onnx.Export;

namespace MinRnn.Onnx.Tests.Export;

/// <summary>Exporters are found by kind: every registered cell kind has exactly one, and none exports an unknown kind.</summary>
public class CellExportersTests
{
    /// <summary>Kinds whose exporter is still to be written (none in this build): export names them in a one-line error.</summary>
    public static readonly string[] NotYetExported = [];

    /// <summary>The kinds the registry-driven export tests cover: every kind with an exporter.</summary>
    public static IEnumerable<string> Exported => CellKinds.Names.Except(NotYetExported);

    /// <summary>The form written to the metadata for `--form form`: min cells and mamba as asked; the others one form,
    /// whatever --form says (ONNX's own RNN ops; the transformer's default attention form, which has no recurrence to scan
    /// or chunk).</summary>
    public static string ExpectedForm(string cell, OnnxForm form) => cell switch
    {
        "gru" or "lstm" => "native",
        "transformer" => "fused-attention",
        _ => form.ToString().ToLowerInvariant(),
    };

    [Fact]
    public void ExactlyTheKindsNotYetExportedFailWithTheirName()
    {
        foreach (var name in CellKinds.Names)
            Assert.Equal(!NotYetExported.Contains(name), OnnxExporter.Exports(name));
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
            var (scan, chunked) = (ExpectedForm(kind.Name, OnnxForm.Scan), ExpectedForm(kind.Name, OnnxForm.Chunked));
            Assert.Equal(scan, exporter.Form(new OnnxExportOptions()));
            Assert.Equal(chunked, exporter.Form(new OnnxExportOptions(OnnxForm.Chunked)));
            Assert.Equal(scan != chunked, OnnxExporter.HasForms(kind.Name));
        }
        var exporters = typeof(ICellExporter).Assembly.GetTypes().Count(t => typeof(ICellExporter).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false });
        Assert.Equal(CellKinds.All.Count - NotYetExported.Length, exporters);
        Assert.Throws<ArgumentException>(() => CellExporters.For("mingrux"));
    }
}
