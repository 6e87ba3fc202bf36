using MinRnn.Cells;
using MinRnn.Cli;
using MinRnn.Cli.Commands;
using MinRnn.Tasks;

namespace MinRnn.Tests.Cli;

/// <summary>The commands' help names every kind and task of the registries (UsageText builds the lists), so a new kind or
/// task needs no edit of a usage text.</summary>
public class UsageTextTests
{
    [Fact]
    public void HelpNamesEveryKindAndTaskOfTheRegistries()
    {
        foreach (var (command, usage) in new[] { ("train", TrainCommand.Usage), ("sweep", SweepCommand.Usage), ("study", StudyCommand.Usage), ("bench", BenchCommand.Usage) })
            Assert.All(CellKinds.Names, kind => Assert.True(usage.Contains(kind, StringComparison.Ordinal), $"{command}'s help lacks {kind}"));
        var trainTasks = TrainCommand.Usage.Split("--task ")[1].Split(']')[0];
        Assert.Equal(TaskRegistry.Names, trainTasks.Split('|').Select(t => t.Trim().TrimStart('[')));
        var dataTasks = DataCommand.Usage.Split("TASK: ")[1].Split(';')[0];
        Assert.Equal(TaskRegistry.All.Where(k => k.Quick is not IFileTask).Select(k => k.Name), dataTasks.Split('|').Select(t => t.Trim()));
        Assert.DoesNotContain("classify", dataTasks);
    }

    [Fact]
    public void TaskListsBreakAfterABarBeforeTheWidth()
    {
        var text = UsageText.Tasks(40, "    ");
        var lines = text.Split('\n');
        Assert.True(lines.Length > 2, text);
        Assert.All(lines[..^1], l => Assert.EndsWith("|", l));
        Assert.All(lines.Skip(1), l => Assert.StartsWith("    ", l));
        Assert.True(4 + lines[0].Length <= 41, $"'{lines[0]}' starts at column 4 and passes 40");
        Assert.All(lines.Skip(1), l => Assert.True(l.Length <= 41 || !l.Trim().TrimEnd('|').Contains('|'), $"'{l}' is wider than 40 and holds more than one name"));
        Assert.Equal(string.Join("|", TaskRegistry.Names), string.Concat(lines.Select(l => l.Trim())));
    }

    [Fact]
    public void TrainsScanChoicesAreEveryScanModeTheParserAccepts()
    {
        var listed = TrainCommand.Usage.Split("--scan ")[1].Split(']')[0].Split('|');
        Assert.Equal(["auto", "fused", "log", "sequential"], listed);
        Assert.All(listed, mode => Assert.Equal(mode, Common.ParseEnum("--scan", mode, MinRnn.Scans.ScanMode.Auto).ToString().ToLowerInvariant()));
    }
}
