using Google.Protobuf;
using Onnx;

namespace MinRnn.ML.Tests;

/// <summary>SequenceModelInfo's task entries: the shipped version-1 files (selective copying, written before task_options
/// and special_tokens existed) derive both from task_tokens, marker_token and noise_token; another task's file needs
/// none of selective copying's entries (−1) and its own entries must be well formed.</summary>
public class TaskMetadataTests
{
    [Theory]
    [MemberData(nameof(AgreementTests.Cells), MemberType = typeof(AgreementTests))]
    public void ShippedFilesGiveSelectiveCopyingOptionsAndSpecials(string cell)
    {
        var info = SequenceModelInfo.Read(Repo.Model(cell));
        Assert.Equal((SequenceModelInfo.SelectiveCopyingTask, 64, 4, 0L, 15L), (info.Task, info.TaskSeqLen, info.TaskTokens, info.MarkerToken, info.NoiseToken));
        Assert.Equal(new Dictionary<string, string> { ["seq_len"] = "64", ["tokens"] = "4", ["vocab"] = "16" }, info.TaskOptions);
        Assert.Equal(new Dictionary<string, long> { ["marker"] = 0, ["noise"] = 15 }, info.SpecialTokens);
    }

    /// <summary>The shipped minGRU with its task entries replaced (the graph is untouched).</summary>
    private static string Rewritten(TempFolder folder, params (string Key, string? Value)[] entries)
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(Repo.Model("mingru")));
        foreach (var (key, value) in entries)
        {
            var old = model.MetadataProps.FirstOrDefault(p => p.Key == key);
            if (old is not null) model.MetadataProps.Remove(old);
            if (value is not null) model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        }
        var path = folder["rewritten.onnx"];
        File.WriteAllBytes(path, model.ToByteArray());
        return path;
    }

    private static readonly (string, string?)[] Parity =
    [
        ("task", "parity"), ("task_seq_len", "32"), ("task_tokens", null), ("marker_token", null), ("noise_token", null),
        ("task_options", "{\"seq_len\":32,\"flag\":true,\"name\":\"x\"}"), ("special_tokens", "{\"query\":2}"),
    ];

    [Fact]
    public void AnotherTaskHasItsOwnEntriesAndMinusOneForSelectiveCopying()
    {
        using var tmp = new TempFolder();
        var info = SequenceModelInfo.Read(Rewritten(tmp, Parity));
        Assert.Equal(("parity", 32, -1, -1L, -1L), (info.Task, info.TaskSeqLen, info.TaskTokens, info.MarkerToken, info.NoiseToken));
        Assert.Equal(new Dictionary<string, string> { ["seq_len"] = "32", ["flag"] = "true", ["name"] = "x" }, info.TaskOptions);
        Assert.Equal(new Dictionary<string, long> { ["query"] = 2 }, info.SpecialTokens);
    }

    [Theory]
    [InlineData("special_tokens", null, "MinRnn metadata has no 'special_tokens'")]
    [InlineData("task_options", null, "MinRnn metadata has no 'task_options'")]
    [InlineData("task_options", "[1]", "MinRnn metadata 'task_options' is not a JSON object")]
    [InlineData("special_tokens", "{\"query\":\"a\"}", "MinRnn metadata 'special_tokens' is not a JSON object of token ids")]
    [InlineData("special_tokens", "{\"query\":16}", "special token 'query' is 16, outside the vocabulary [0, 16)")]
    public void MalformedTaskEntriesAreOneLineErrors(string key, string? value, string message)
    {
        using var tmp = new TempFolder();
        var path = Rewritten(tmp, [.. Parity, (key, value)]);
        var e = Assert.Throws<InvalidDataException>(() => SequenceModelInfo.Read(path));
        Assert.Contains(message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
