using System.Runtime.InteropServices;

namespace MinRnn.Runtime;

/// <summary>The one seam for test-only hooks: named points in the product code where a test can make the process die
/// (MINRNN_TEST_KILL_AT=POINT or POINT:STEP: SIGKILL there, to prove that a hard kill at that instant loses nothing) or
/// go wrong on purpose (MINRNN_TEST_FAULT=POINT, to prove what a failure there leaves behind). Every point is named
/// here; unset, a hook costs one string comparison.</summary>
public static partial class TestHooks
{
    public const string KillVariable = "MINRNN_TEST_KILL_AT";
    public const string FaultVariable = "MINRNN_TEST_FAULT";

    // kill points, in the order a run reaches them: the instants of a checkpoint save, a metrics line, the summary,
    // and the two halves of the --force swap (STEP: the file's index)
    public const string CheckpointModel = "checkpoint.model";
    public const string CheckpointWritten = "checkpoint.written";
    public const string CheckpointOld = "checkpoint.old";
    public const string CheckpointRenamed = "checkpoint.renamed";
    public const string CheckpointDone = "checkpoint.done";
    public const string MetricsAppended = "metrics.appended";
    public const string Summary = "summary";
    public const string ReplaceOld = "replace.old";
    public const string ReplaceNew = "replace.new";

    /// <summary>The instants of a checkpoint save, in order.</summary>
    public static readonly string[] CheckpointPhases = [CheckpointModel, CheckpointWritten, CheckpointOld, CheckpointRenamed, CheckpointDone];

    // fault points: `export.verify` changes the TorchSharp weights after the ONNX file is written, so verification fails
    public const string ExportVerify = "export.verify";

    private static readonly string? KillTarget = Environment.GetEnvironmentVariable(KillVariable);
    private static readonly string? FaultTarget = Environment.GetEnvironmentVariable(FaultVariable);

    /// <summary>SIGKILLs this process when MINRNN_TEST_KILL_AT names this point (at any step, or at this one).</summary>
    public static void Kill(string point, int step)
    {
        if (KillTarget is null || (KillTarget != point && KillTarget != $"{point}:{step}")) return;
        Console.Error.Flush();
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            kill(Environment.ProcessId, 9);
        Environment.FailFast($"{KillVariable}={KillTarget}");
    }

    /// <summary>Whether MINRNN_TEST_FAULT names this point: the caller then goes wrong on purpose.</summary>
    public static bool Fault(string point) => FaultTarget == point;

    [LibraryImport("libc", EntryPoint = "kill")]
    private static partial int kill(int pid, int signal);
}
