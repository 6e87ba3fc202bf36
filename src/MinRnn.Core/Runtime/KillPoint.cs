using System.Runtime.InteropServices;

namespace MinRnn.Runtime;

/// <summary>A test-only hook: with MINRNN_TEST_KILL_AT=PHASE:STEP (or PHASE, any step) the process SIGKILLs itself when
/// it reaches that phase of a write, so tests can prove that a hard kill at that instant loses nothing. Unset, it
/// costs one string comparison.</summary>
public static partial class KillPoint
{
    public const string Variable = "MINRNN_TEST_KILL_AT";

    private static readonly string? Target = Environment.GetEnvironmentVariable(Variable);

    public static void Reached(string phase, int step)
    {
        if (Target is null || (Target != phase && Target != $"{phase}:{step}")) return;
        Console.Error.Flush();
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            kill(Environment.ProcessId, 9);
        Environment.FailFast($"{Variable}={Target}");
    }

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int kill(int pid, int signal);
}
