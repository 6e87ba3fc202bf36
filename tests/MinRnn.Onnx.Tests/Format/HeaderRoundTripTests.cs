using MinRnn.Cells;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MinRnn.Models;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Format;
using MinRnn.Tasks;
using MinRnn.Training;
using K = MinRnn.Onnx.Format.MetadataKeys;

namespace MinRnn.Onnx.Tests.Format;

/// <summary>The exporter writes a file, the format's one reader reads it back: every metadata entry the exporter writes is
/// a key the format knows and comes back as a header field equal to what was exported (the config, the task, the options
/// and the exporter's state list are the references), for a model with every kind of state and for each form.</summary>
public class HeaderRoundTripTests
{
    public static TheoryData<string, string, OnnxForm> Cases() => new()
    {
        { "lstm", "conv", OnnxForm.Scan },             // conv, h and c states; native form; selective copying
        { "minlstm", "parity", OnnxForm.Chunked },     // chunk_size; a task with its own options and special tokens
        { "mingru", "plain", OnnxForm.Scan },
        { "mamba", "conv", OnnxForm.Chunked },         // h (E, N) and the cell's own conv state beside the block's conv
        { "transformer", "conv", OnnxForm.Chunked },   // a growing state (the KV cache, −1) and the position count (batch)
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryMetadataEntryRoundTrips(string cell, string kind, OnnxForm form)
    {
        var config = kind == "conv" ? TestModels.Config(cell, options: true) : TestModels.Config(cell, options: false);
        ISequenceTask task = kind == "parity" ? TaskRegistry.Find("parity").Quick : TestModels.Task(config);
        if (kind == "parity") config = config with { Vocab = task.Vocabulary.Size };
        var options = new OnnxExportOptions(form, ChunkSize: 5);
        using var model = TestModels.Build(config);
        using var tmp = new TempFolder();
        var path = tmp["model.onnx"];
        OnnxExporter.Export(model, task, options, path);

        var header = ModelHeader.Read(path);
        var written = OnnxExporter.Metadata(config, task, options).ToDictionary(e => e.Key, e => e.Value);
        Assert.Equal(written, header.Metadata);
        Assert.All(written.Keys, key => Assert.Contains(key, K.All));

        var covered = new HashSet<string>();
        void Check<T>(string key, T expected, T actual)
        {
            Assert.True(written.ContainsKey(key), $"the exporter wrote no '{key}'");
            Assert.Equal(expected, actual);
            covered.Add(key);
        }
        Check(K.MinRnnVersion, RunFiles.Version, header.MinRnnVersion);
        Check(K.Cell, cell, header.Cell);
        Check(K.Layers, config.Layers, header.Layers);
        Check(K.Vocab, config.Vocab, header.Vocab);
        Check(K.Dim, config.Dim, header.Dim);
        Check(K.Form, Export.CellExportersTests.ExpectedForm(cell, form), header.Form);
        if (Export.CellExportersTests.ExpectedForm(cell, form) == "chunked") Check(K.ChunkSize, (int?)5, header.ChunkSize);
        else Assert.Null(header.ChunkSize);
        Check(K.ModelConfig, config.Resolved(), JsonSerializer.Deserialize<ModelConfig>(header.ModelConfigJson, RunConfig.Json));

        var specs = OnnxSignature.States(config);
        Check(K.States, specs.Select(s => (s.Input, s.Output, string.Join(",", s.Tail))),
            header.States.Select(s => (s.Name, s.OutputName, string.Join(",", s.Shape))));
        Assert.Equal(CellKinds.Get(cell).CarriesCellState, header.States.Any(s => s.Name.StartsWith("state_c_")));

        var copy = task as SelectiveCopying;
        Check(K.Task, copy is null ? task.Name : K.SelectiveCopyingTask, header.Task.Name);
        Check(K.TaskSeqLen, task.SeqLen, header.Task.SeqLen);
        Check(K.TaskOptions, TaskJson.OptionsOf(task).ToDictionary(o => o.Key, o => Text(o.Value!)), header.Task.Options);
        Check(K.SpecialTokens, task.Vocabulary.Special.ToDictionary(p => p.Key, p => (long)p.Value), header.Task.SpecialTokens);
        if (copy is not null)
        {
            Check(K.TaskTokens, copy.Tokens, header.Task.Tokens);
            Check(K.MarkerToken, (long)copy.Marker, header.Task.MarkerToken);
            Check(K.NoiseToken, (long)copy.Noise, header.Task.NoiseToken);
        }
        else Assert.Equal((-1, -1L, -1L), (header.Task.Tokens, header.Task.MarkerToken, header.Task.NoiseToken));

        Assert.Equal(written.Keys.Order(), covered.Order());
    }

    /// <summary>An option value as `--task-opt` takes it: strings unquoted, anything else its JSON text.</summary>
    private static string Text(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();

    [Fact]
    public void TheExporterWritesTheFormatsVersionsAndNames()
    {
        var config = TestModels.Config("lstm", options: true);
        using var model = TestModels.Build(config);
        var proto = OnnxExporter.Build(model, TestModels.Task(config), new OnnxExportOptions());
        Assert.Equal((Signature.IrVersion, Signature.Opset), ((int)proto.IrVersion, (int)proto.OpsetImport.Single().Version));
        Assert.Equal([Signature.Tokens, Signature.Lengths], proto.Graph.Input.Take(2).Select(i => i.Name));
        Assert.Equal([Signature.Logits, Signature.Predictions], proto.Graph.Output.Take(2).Select(o => o.Name));
        Assert.Equal(proto.Graph.Input.Skip(2).Select(i => Signature.Final(i.Name)), proto.Graph.Output.Skip(2).Select(o => o.Name));
    }
}
