using System.Text.RegularExpressions;
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

    /// <summary>The commands' usage sources type no kind name and no task name: the lists come from the registries. A
    /// command that exists for one task's data names that task (its own usage lines).</summary>
    [Fact]
    public void NoUsageSourceTypesAKindOrTaskName()
    {
        var owned = new Dictionary<string, string[]>
        {
            ["ForecastCommand"] = [Forecast.TaskName], ["GenerateCommand"] = [CharLm.TaskName], ["EvalCommand"] = [CharLm.TaskName],
            ["PredictCommand"] = ["classify", "label"],
        };
        var names = CellKinds.Names.Concat(TaskRegistry.Names).ToList();
        var (found, files) = (new List<string>(), Directory.GetFiles(Path.Combine(Repository.Root, "src", "MinRnn.Cli", "Commands"), "*Command.cs"));
        foreach (var file in files)
        {
            var command = Path.GetFileNameWithoutExtension(file);
            var usage = Regex.Match(File.ReadAllText(file), "Usage = \\$*\"\"\"(.*?)\"\"\";", RegexOptions.Singleline);
            Assert.True(usage.Success, $"{command}: no usage text found");
            var literal = Regex.Replace(usage.Groups[1].Value, @"\{\{.*?\}\}", "");                       // $$""": the registries' lists
            literal = Regex.Replace(literal, @"\{[^{}]*(\{[^{}]*\}[^{}]*)*\}", "");                       // $""": the same
            found.AddRange(names.Where(n => !(owned.GetValueOrDefault(command) ?? []).Contains(n))
                .Where(n => Regex.IsMatch(literal, $@"(?<![\w-]){Regex.Escape(n)}(?![\w-])")).Select(n => $"{command}: {n}"));
        }
        Assert.True(files.Length >= 12, $"found only {files.Length} commands");
        Assert.True(found.Count == 0, string.Join(", ", found));
    }
}
