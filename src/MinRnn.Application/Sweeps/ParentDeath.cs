using System.Runtime.InteropServices;

namespace MinRnn.Sweeps;

/// <summary>A sweep's training child dies with its worker (Linux: PR_SET_PDEATHSIG), so a SIGKILLed worker never
/// leaves an orphan training a run whose lease then goes stale and is taken over.</summary>
public static partial class ParentDeath
{
    public const string Variable = "MINRNN_PARENT_PID";

    /// <summary>With MINRNN_PARENT_PID set (by <see cref="SelfProcess"/>): SIGKILL this process when that parent dies,
    /// and at once if it is already gone.</summary>
    public static void Follow()
    {
        if (!OperatingSystem.IsLinux() || !int.TryParse(Environment.GetEnvironmentVariable(Variable), out var parent)) return;
        prctl(SetParentDeathSignal, SigKill);
        if (getppid() != parent) kill(Environment.ProcessId, SigKill);
    }

    private const int SetParentDeathSignal = 1, SigKill = 9;

    [LibraryImport("libc", EntryPoint = "prctl")]
    private static partial int prctl(int option, nint argument);

    [LibraryImport("libc", EntryPoint = "getppid")]
    private static partial int getppid();

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int kill(int pid, int signal);
}
