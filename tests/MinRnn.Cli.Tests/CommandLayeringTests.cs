using System.Text.RegularExpressions;

namespace MinRnn.Tests.Cli;

/// <summary>No command calls another: each command file parses its options, calls the libraries (the application layer
/// for sweeps and studies) and prints; what two commands share is a helper of its own (TrainArgs, GridArgs, Reports/),
/// which names no command either. Only Program.cs lists them.</summary>
public class CommandLayeringTests
{
    [Fact]
    public void NoCommandNamesAnotherCommand()
    {
        var cli = Path.Combine(Repository.Root, "src", "MinRnn.Cli");
        var files = Directory.GetFiles(cli, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && Path.GetFileName(f) != "Program.cs").ToList();
        Assert.True(files.Count(f => f.EndsWith("Command.cs", StringComparison.Ordinal)) >= 12, "found too few command files");
        var calls = files.SelectMany(f => Regex.Matches(SourceText.Code(File.ReadAllText(f)), @"\b([A-Z][A-Za-z]*Command)\.")
                .Select(m => m.Groups[1].Value).Where(c => c != Path.GetFileNameWithoutExtension(f)).Distinct()
                .Select(c => $"{Path.GetRelativePath(cli, f)} → {c}"))
            .ToList();
        Assert.True(calls.Count == 0, string.Join(", ", calls));
    }
}
