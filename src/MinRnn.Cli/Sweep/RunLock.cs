using System.Diagnostics;

namespace MinRnn.Cli.Sweep;

/// <summary>A run folder's claim: `.lock` holds "host pid", created exclusively, so two workers or shards
/// writing into one folder never train the same run. A lock whose process is gone (same host) is stale and
/// taken over; a lock of another host is respected.</summary>
public sealed class RunLock : IDisposable
{
    private readonly string path;

    private RunLock(string path) => this.path = path;

    public static string PathOf(string runDir) => Path.Combine(runDir, ".lock");

    /// <summary>The lock, or null when another live process holds it.</summary>
    public static RunLock? TryAcquire(string runDir)
    {
        Directory.CreateDirectory(runDir);
        var path = PathOf(runDir);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            try
            {
                using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
                using var writer = new StreamWriter(stream);
                writer.Write($"{Environment.MachineName} {Environment.ProcessId}");
                return new RunLock(path);
            }
            catch (IOException) when (File.Exists(path))
            {
                if (IsHeld(runDir)) return null;
                try { File.Delete(path); } catch (IOException) { return null; }   // stale: take it over
            }
        }
        return null;
    }

    /// <summary>True when a live process (on this host) or another host holds the run.</summary>
    public static bool IsHeld(string runDir)
    {
        string[] parts;
        try { parts = File.ReadAllText(PathOf(runDir)).Split(' '); }
        catch (IOException) { return false; }
        if (parts.Length != 2 || !int.TryParse(parts[1], out var pid)) return false;
        return parts[0] != Environment.MachineName || IsAlive(pid);
    }

    /// <summary>A process that exists and is not a zombie (a killed child whose parent died may stay one).</summary>
    private static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (Directory.Exists("/proc/self"))
        {
            try { return File.Exists(stat) && File.ReadAllText(stat).Split(')').Last().TrimStart().FirstOrDefault() is not ('Z' or 'X'); }
            catch (IOException) { return false; }
        }
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }

    /// <summary>Hands the claim to the training process, so a killed sweep leaves a lock that dies with its child.</summary>
    public void Transfer(int pid) => File.WriteAllText(path, $"{Environment.MachineName} {pid}");

    public void Dispose()
    {
        try { File.Delete(path); } catch (IOException) { }
    }
}
