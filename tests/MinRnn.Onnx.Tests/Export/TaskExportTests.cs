using System.Text.Json;
using System.Text.Json.Nodes;
using MinRnn.Models;
using MinRnn.ML;
using MinRnn.Onnx.Export;
using MinRnn.Onnx.Runtime;
using MinRnn.Onnx.Verify;
using MinRnn.Tasks;
using Onnx;
using static TorchSharp.torch;

namespace MinRnn.Onnx.Tests.Export;

/// <summary>Every registered task × {minGRU scan, GRU native, minLSTM chunked, Mamba scan and chunked, transformer}: the task's metadata (name, options,
/// special tokens) is written, read back the same by SequenceModelInfo and OnnxModel, and ONNX Runtime gives TorchSharp's
/// logits (1e-4 relative, as ExportEquivalenceTests) and predictions on a batch of the task's evaluation rows.</summary>
public class TaskExportTests
{
    public static TheoryData<string, string, OnnxForm> Cases()
    {
        var data = new TheoryData<string, string, OnnxForm>();
        foreach (var kind in TaskRegistry.All.Where(k => k.Quick.InputFeatures is null))   // token tasks: forecast reads numeric windows
            foreach (var (cell, form) in new[] { ("mingru", OnnxForm.Scan), ("gru", OnnxForm.Scan), ("minlstm", OnnxForm.Chunked), ("mamba", OnnxForm.Scan), ("mamba", OnnxForm.Chunked),
                         ("transformer", OnnxForm.Scan) })
                data.Add(kind.Name, cell, form);
        return data;
    }

    /// <summary>A tiny model (1 layer, d = 8) of the task's quick setting, exported to a file in the folder.</summary>
    public static (SequenceModel Model, ISequenceTask Task, string Path) Export(TempFolder folder, string taskName, string cell, OnnxForm form)
    {
        var task = taskName == CharLm.TaskName ? CharTask(folder)
            : TaskRegistry.Find(taskName).Quick is IFileTask file ? LabelledTask(folder, file) : TaskRegistry.Find(taskName).Quick;
        var model = TestModels.Build(new ModelConfig(cell, Layers: 1, Vocab: task.Vocabulary.Size, Dim: 8));
        var path = folder[$"{taskName}-{cell}-{form}.onnx"];
        OnnxExporter.Export(model, task, new OnnxExportOptions(form, ChunkSize: 8), path);
        return (model, task, path);
    }

    /// <summary>char-lm's quick setting has no text: a task over a small generated one.</summary>
    private static CharLm CharTask(TempFolder folder)
    {
        var path = folder["text.txt"];
        File.WriteAllText(path, string.Concat(Enumerable.Range(0, 400).Select(i => "abcab ca"[i % 8].ToString() + (i % 7 == 0 ? "d" : ""))));
        return CharLm.FromFiles(path, seqLen: 16);
    }

    /// <summary>classify's and label's quick settings have no rows: the task over 40 generated ones of lengths 2–9.</summary>
    private static ISequenceTask LabelledTask(TempFolder folder, IFileTask quick)
    {
        var path = folder["rows.jsonl"];
        var texts = Enumerable.Range(0, 40).Select(i => string.Concat(Enumerable.Range(0, 2 + i % 8).Select(j => "abcab ca"[(i + j * 3) % 8].ToString()))).ToList();
        File.WriteAllLines(path, texts.Select(s => quick.Name == StepLabels.TaskName
            ? JsonSerializer.Serialize(new { input = s, labels = s.Select(c => c == 'a' ? "a" : "other") })
            : JsonSerializer.Serialize(new { input = s, label = s[0] == 'a' ? "a" : "other" })));
        return quick.WithFiles(new TaskFiles(path));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void ExportsReadsBackAndRunsTheTask(string taskName, string cell, OnnxForm form)
    {
        using var tmp = new TempFolder();
        var (model, task, path) = Export(tmp, taskName, cell, form);
        using var owned = model;
        var copy = task is SelectiveCopying;
        var expectedName = copy ? SelectiveCopying.FileName : task.Name;
        var options = TaskJson.PortableOptions(task);                        // file options by their names only
        var special = task.Vocabulary.Special.ToDictionary(p => p.Key, p => (long)p.Value);

        var meta = ModelProto.Parser.ParseFrom(File.ReadAllBytes(path)).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal(expectedName, meta["task"]);
        Assert.Equal(task.SeqLen.ToString(), meta["task_seq_len"]);
        Assert.True(JsonNode.DeepEquals(options, JsonNode.Parse(meta["task_options"])), meta["task_options"]);
        Assert.Equal(special, JsonSerializer.Deserialize<Dictionary<string, long>>(meta["special_tokens"]));
        Assert.Equal(copy, meta.ContainsKey("marker_token"));
        Assert.Equal(CellExportersTests.ExpectedForm(cell, form), meta["form"]);

        var info = SequenceModelInfo.Read(path);
        Assert.Equal(expectedName, info.Task);
        Assert.Equal(task.SeqLen, info.TaskSeqLen);
        Assert.Equal(options.ToDictionary(o => o.Key, o => o.Value!.ToJsonString().Trim('"')), info.TaskOptions);
        Assert.Equal(special, info.SpecialTokens);
        if (task is SelectiveCopying sc)
            Assert.Equal((sc.Tokens, (long)sc.Marker, (long)sc.Noise), (info.TaskTokens, info.MarkerToken, info.NoiseToken));
        else
            Assert.Equal((-1, -1L, -1L), (info.TaskTokens, info.MarkerToken, info.NoiseToken));

        using var onnx = OnnxModel.Load(path, threads: 1);
        Assert.Equal((expectedName, task.SeqLen), (onnx.Task.Name, onnx.Task.SeqLen));
        Assert.Equal(info.TaskOptions, onnx.Task.Options);
        Assert.Equal(special, onnx.Task.SpecialTokens);
        var read = onnx.Task.ToTask();
        Assert.Equal(task.GetType(), read.GetType());
        Assert.True(JsonNode.DeepEquals(options, TaskJson.OptionsOf(read)), TaskJson.OptionsOf(read).ToJsonString());   // the task, file options by name

        using var batch = task.Sample(8, Seeds.Evaluation(5), TaskSplit.Evaluation);
        var (b, t) = ((int)batch.Inputs.shape[0], (int)batch.Inputs.shape[1]);
        var result = onnx.Run(batch.Inputs.data<long>().ToArray(), b, t);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var (logits, _) = model.call(batch.Inputs, null);
        RelativeError.AssertWithin(result.Logits, OnnxVerifier.Flat(logits), 1e-4, $"{taskName} {cell}: logits");
        Assert.Equal(logits.argmax(-1).contiguous().data<long>().ToArray(), result.Predictions);
    }

    /// <summary>The shipped files (version 1, before task_options and special_tokens) read as selective copying.</summary>
    [Theory]
    [InlineData("mingru")]
    [InlineData("gru")]
    public void ShippedFilesReadAsSelectiveCopying(string cell)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(System.IO.Path.Combine(root.FullName, "MinRnn.sln"))) root = root.Parent!;
        using var onnx = OnnxModel.Load(System.IO.Path.Combine(root.FullName, "models", cell + ".onnx"), threads: 1);
        Assert.Equal((SelectiveCopying.FileName, 64), (onnx.Task.Name, onnx.Task.SeqLen));
        Assert.Equal(new Dictionary<string, long> { ["marker"] = 0, ["noise"] = 15 }, onnx.Task.SpecialTokens);
        Assert.Equal(new SelectiveCopying(SeqLen: 64, Tokens: 4, Vocab: 16), onnx.Task.ToTask());
    }
}
