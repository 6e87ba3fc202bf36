using MinRnn.Runs;
using MinRnn.Runtime;

namespace MinRnn.Training;

/// <summary>How training treats a run folder: a new run (the folder holds none), continuing the run it holds from its
/// checkpoint, or starting over in its place.</summary>
public enum RunStart
{
    New,
    Resume,
    Force,
}

/// <summary>A run folder as `minrnn train` uses it: what it holds, the configuration a resumed run continues with, and
/// training that replaces an existing run only once the new one is complete.</summary>
public static class RunFolder
{
    /// <summary>Where a forced run trains while the old one stays in place; swapped in when complete.</summary>
    public const string ForceFolder = RunFileNames.ForceFolder;

    /// <summary>The run files (and checkpoint folders) the folder holds, and a forced run's folders; empty when it holds no run.</summary>
    public static List<string> Existing(string runDir) =>
        RunFiles.Names.Append(ForceFolder).Append(RunFiles.ReplacedFolder).Where(n => Path.Exists(Path.Combine(runDir, n))).ToList();

    /// <summary>The run `--resume` continues in runDir: a forced run that a kill, Ctrl+C or failure stopped before it
    /// replaced runDir's (runDir/.force-new/ with its config.json), else runDir's own.</summary>
    public static string ResumeFrom(string runDir)
    {
        var aside = Path.Combine(runDir, ForceFolder);
        return File.Exists(Path.Combine(aside, RunFiles.Config)) ? aside : runDir;
    }

    /// <summary>The configuration saved in the folder, on `device` (null: the saved device); null when `requested` (the
    /// options given, if any) differs from it in anything but the device.</summary>
    public static RunConfig? Resumed(string runDir, RunConfig? requested, string? device)
    {
        var saved = RunFiles.ReadConfig(runDir);
        if (requested is not null && saved with { Train = saved.Train with { Device = requested.Train.Device } } != requested) return null;
        return saved with { Train = saved.Train with { Device = device ?? saved.Train.Device } };
    }

    /// <summary>Trains `config` into runDir. Force over an existing run trains aside (runDir/.force-new, replacing an
    /// interrupted forced run there) and swaps the complete new run in (RunFiles.Replace), so any failure (a bad
    /// --init-from file, a crash, Ctrl+C) leaves the old run as it was. Resume continues the interrupted forced run
    /// when there is one (ResumeFrom) and swaps it in when complete. A swap that a kill interrupted is finished first.</summary>
    public static RunSummary Train(RunConfig config, string runDir, RunStart start, Action<TrainProgress>? progress, CancellationToken cancel)
    {
        var aside = Path.Combine(runDir, ForceFolder);
        if (Directory.Exists(Path.Combine(runDir, RunFiles.ReplacedFolder)) && Directory.Exists(aside))
            RunFiles.Replace(runDir, aside);                                       // the forced run was complete
        if (start == RunStart.Resume && ResumeFrom(runDir) == aside)
            return TrainAside(config, runDir, resume: true, progress, cancel);
        if (start != RunStart.Force || Existing(runDir).Count == 0)
            return Trainer.Run(config, runDir, start == RunStart.Resume, progress, cancel);
        Durable.DeletePath(aside);
        return TrainAside(config, runDir, resume: false, progress, cancel);
    }

    private static RunSummary TrainAside(RunConfig config, string runDir, bool resume, Action<TrainProgress>? progress, CancellationToken cancel)
    {
        var aside = Path.Combine(runDir, ForceFolder);
        RunSummary summary;
        try
        {
            summary = Trainer.Run(config, aside, resume, progress, cancel);
        }
        catch
        {
            if (!File.Exists(Path.Combine(aside, RunFiles.Config))) Durable.DeletePath(aside);   // kept once started: --resume continues it
            throw;
        }
        RunFiles.Replace(runDir, aside);
        return summary;
    }
}
