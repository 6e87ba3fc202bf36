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
    public const string ForceFolder = ".force-new";

    /// <summary>The run files (and checkpoint folders) the folder holds; empty when it holds no run.</summary>
    public static List<string> Existing(string runDir) => RunFiles.Names.Where(n => Path.Exists(Path.Combine(runDir, n))).ToList();

    /// <summary>The configuration saved in the folder, on `device` (null: the saved device); null when `requested` (the
    /// options given, if any) differs from it in anything but the device.</summary>
    public static RunConfig? Resumed(string runDir, RunConfig? requested, string? device)
    {
        var saved = RunFiles.ReadConfig(runDir);
        if (requested is not null && saved with { Train = saved.Train with { Device = requested.Train.Device } } != requested) return null;
        return saved with { Train = saved.Train with { Device = device ?? saved.Train.Device } };
    }

    /// <summary>Trains `config` into runDir. Force over an existing run trains aside (runDir/.force-new) and swaps the
    /// complete new run in (RunFiles.Replace), so any failure (a bad --init-from file, a crash, Ctrl+C) leaves the old
    /// run as it was.</summary>
    public static RunSummary Train(RunConfig config, string runDir, RunStart start, Action<TrainProgress>? progress, CancellationToken cancel)
    {
        if (start != RunStart.Force || Existing(runDir).Count == 0)
            return Trainer.Run(config, runDir, start == RunStart.Resume, progress, cancel);
        var aside = Path.Combine(runDir, ForceFolder);
        Durable.DeletePath(aside);                                                 // left by an earlier forced run that was killed
        RunSummary summary;
        try
        {
            summary = Trainer.Run(config, aside, resume: false, progress, cancel);
        }
        catch
        {
            Durable.DeletePath(aside);
            throw;
        }
        RunFiles.Replace(runDir, aside);
        return summary;
    }
}
