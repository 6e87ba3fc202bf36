using System.Security.Cryptography;

namespace MinRnn.Tests.Cli;

/// <summary>A trained run (the settings Tiny) shared by the tests of --force (MinRnn.Cli.Tests) and of resuming a forced
/// run (MinRnn.Core.Tests); made once per test class, since each process start costs about a second.</summary>
public sealed class ForceFixture : IDisposable
{
    public readonly TempFolder Folder = new();
    public string Run => Folder["run"];

    public static readonly string[] Tiny =
        ["--model", "mingru", "--layers", "1", "--seq-len", "10", "--tokens", "2", "--vocab", "6", "--dim", "8",
         "--steps", "6", "--batch", "8", "--eval-every", "3", "--eval-size", "16", "--device", "cpu", "--threads", "1"];

    public ForceFixture()
    {
        var (code, _, err) = MinrnnProcess.Run(["train", .. Tiny, "--out", Run]);
        Assert.True(code == 0, err);
    }

    public void Dispose() => Folder.Dispose();

    /// <summary>Every file under dir by its path there, with its SHA-256.</summary>
    public static Dictionary<string, string> Snapshot(string dir) =>
        Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(dir, f), f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    /// <summary>A copy of the run folder `run` at `to` (returned).</summary>
    public static string CopyOfRun(string run, string to)
    {
        foreach (var file in Directory.GetFiles(run, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(run, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        return to;
    }
}
