using System.Text.Json.Nodes;
using MinRnn.Runs;
using MinRnn.Tasks;

namespace MinRnn.Tests.Tasks;

/// <summary>A model file carries its task's file options by file name only: the exporting machine's folders stay out of
/// ONNX metadata, while the run's own config.json keeps the full path it trains and resumes from.</summary>
public class PortableOptionsTests
{
    [Fact]
    public void FileOptionsTravelByNameAndTheRestUnchanged()
    {
        var dir = Path.Combine(Path.GetTempPath(), "some", "folder");
        var task = new CharLm(SeqLen: 16, Data: Path.Combine(dir, "text.txt"), EvalData: Path.Combine(dir, "held-out.txt"), Alphabet: "ab/c");
        var metadata = TaskJson.Metadata(task).ToDictionary(p => p.Key, p => p.Value);
        var options = JsonNode.Parse(metadata[FileMetadataKeys.TaskOptions])!.AsObject();
        Assert.Equal("text.txt", options["data"]!.GetValue<string>());
        Assert.Equal("held-out.txt", options["eval_data"]!.GetValue<string>());
        Assert.Equal("ab/c", options["alphabet"]!.GetValue<string>());                  // not a rooted path: kept
        Assert.Equal(16, options["seq_len"]!.GetValue<int>());
        Assert.Equal(Path.Combine(dir, "text.txt"), TaskJson.OptionsOf(task)["data"]!.GetValue<string>());   // the run keeps the path
    }
}
