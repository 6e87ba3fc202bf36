using System.Text.Json;
using MinRnn.ML;
using MinRnn.Models;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Format;
using MinRnn.Onnx.Runtime;

namespace MinRnn.Onnx.Tests.Format;

/// <summary>model_config in an exported file carries every field of ModelConfig, the defaults of the kind's own options
/// written out (docs/MODELS.md: Mamba's N = 16 as in Gu &amp; Dao 2023, the transformer's 4 heads), so a runtime reads
/// the head count from the file alone; MinRnn's own readers (the format's, ML.NET's, ONNX Runtime's) still load it.</summary>
public class ModelConfigMetadataTests
{
    [Theory]
    [InlineData("mamba", "state_size", 16)]
    [InlineData("transformer", "heads", 4)]
    [InlineData("mingru", null, 0)]
    public void EveryFieldIsWrittenWithTheDefaultsResolved(string cell, string? option, int expected)
    {
        var config = new ModelConfig(cell, Layers: 1, Vocab: 6, Dim: 8);         // StateSize and Heads left null: the defaults
        using var model = TestModels.Build(config);
        using var tmp = new TempFolder();
        var path = tmp["model.onnx"];
        OnnxExporter.Export(model, TestModels.Task(config), new OnnxExportOptions(), path);

        var header = ModelHeader.Read(path);
        using var json = JsonDocument.Parse(header.Metadata["model_config"]);
        var fields = json.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        var contract = typeof(ModelConfig).GetConstructors().Single(c => c.GetParameters().Length > 1).GetParameters()
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name!));
        Assert.All(contract, name => Assert.True(fields.ContainsKey(name), $"model_config lacks '{name}': {json.RootElement}"));
        foreach (var other in new[] { "state_size", "heads" }.Where(o => o != option))
            Assert.Equal(JsonValueKind.Null, fields[other].ValueKind);
        if (option is not null) Assert.Equal(expected, fields[option].GetInt32());

        Assert.Equal(header.ModelConfigJson, SequenceModelInfo.Read(path).ModelConfigJson);
        using var loaded = OnnxModel.Load(path);
        Assert.Equal(config.Resolved(), loaded.Config);
    }
}
