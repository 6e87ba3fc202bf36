using System.Text.Json.Nodes;

namespace MinRnn.Tests.Cli;

/// <summary>Bad task input on the command line: exit code 2, one line on stderr naming the problem, no file written.</summary>
public class TaskCliTests
{
    [Theory]
    [InlineData("train --model mingru --task nope", "'nope'")]
    [InlineData("train --model mingru --task parity --tokens 3", "--tokens: task parity does not take this option")]
    [InlineData("train --model mingru --task parity --task-opt foo=1", "'foo'")]
    [InlineData("train --model mingru --task parity --task-opt seq_len=abc", "seq_len = 'abc' is not a number")]
    [InlineData("train --model mingru --task associative-recall --seq-len 10", "--seq-len: 10 is too short")]
    [InlineData("train --model mingru --task associative-recall --task-opt queries=9", "--task-opt queries:")]
    [InlineData("train --model mingru --task majority --task-opt alphabet=1", "--task-opt alphabet:")]
    [InlineData("train --model mingru --task missing-duplicate --seq-len 7", "--seq-len:")]
    public void BadTaskOptionsOfTrain(string argv, string message)
    {
        using var tmp = new TempFolder();
        var run = tmp["run"];
        AssertRefused([.. argv.Split(' '), "--steps", "1", "--device", "cpu", "--out", run], message);
        Assert.False(Path.Exists(run));
    }

    [Theory]
    [InlineData("data nope", "'nope'")]
    [InlineData("data parity --tokens 3", "--tokens: task parity does not take this option")]
    [InlineData("data parity --task-opt foo=1", "'foo'")]
    [InlineData("data associative-recall --seq-len 10", "--seq-len: 10 is too short")]
    [InlineData("data bucket-sort --task-opt alphabet=1", "--task-opt alphabet:")]
    public void BadTaskOptionsOfData(string argv, string message)
    {
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var file = Path.Combine(dir, "d.jsonl");
        AssertRefused([.. argv.Split(' '), "--count", "4", "--out", file], message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir));
    }

    [Fact]
    public void EvalOfARunWhoseTaskThisVersionDoesNotKnow()
    {
        using var tmp = new TempFolder();
        var run = ForceFixture.CopyOfRun(Path.Combine(AppContext.BaseDirectory, "Data", "run-v1"), tmp["run"]);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(run, "config.json")))!;
        config["task"]!["name"] = "nope";
        File.WriteAllText(Path.Combine(run, "config.json"), config.ToJsonString());
        var before = Directory.GetFileSystemEntries(run, "*", SearchOption.AllDirectories).Order().ToArray();

        AssertRefused(["eval", "--run", run, "--device", "cpu"], "'nope' is not a task of this MinRnn version");
        Assert.Equal(before, Directory.GetFileSystemEntries(run, "*", SearchOption.AllDirectories).Order());
    }

    private static void AssertRefused(string[] argv, string message)
    {
        var (code, stdout, err) = MinrnnProcess.Run(argv);
        Assert.True(code == 2, $"exit {code}: {err}");
        Assert.Contains(message, err);
        Assert.Single(err.Trim().Split('\n'));
        Assert.Equal("", stdout);
    }
}
