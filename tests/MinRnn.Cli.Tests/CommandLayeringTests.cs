using System.Text.RegularExpressions;

namespace MinRnn.Tests.Cli;

/// <summary>No command calls another: each command file parses its options, calls the libraries (the application layer
/// for sweeps and studies) and prints; what two commands share is a helper of its own (GridArgs, Reports/).</summary>
public class CommandLayeringTests
{
    [Fact]
    public void NoCommandNamesAnotherCommand()
    {
        var files = Directory.GetFiles(Path.Combine(Repository.Root, "src", "MinRnn.Cli", "Commands"), "*Command.cs");
        Assert.True(files.Length >= 10, $"found only {files.Length} command files");
        var calls = files.SelectMany(f => Regex.Matches(File.ReadAllText(f), @"\b([A-Z][A-Za-z]*Command)\.")
                .Select(m => m.Groups[1].Value).Where(c => c != Path.GetFileNameWithoutExtension(f)).Distinct()
                .Select(c => $"{Path.GetFileName(f)} → {c}"))
            .ToList();
        Assert.True(calls.Count == 0, string.Join(", ", calls));
    }
}
