using MinRnn.Training;

namespace MinRnn.Cli;

/// <summary>Small pieces several commands share.</summary>
public static class Common
{
    public static void ApplyThreads(Args args)
    {
        if (args.Has("--threads"))
            TorchSharp.torch.set_num_threads(args.Int("--threads", 0, 1, 1024));
    }

    public static T ParseEnum<T>(string option, string? value, T fallback) where T : struct, Enum
    {
        if (value is null) return fallback;
        var names = Enum.GetNames<T>().Select(n => n.ToLowerInvariant()).ToArray();
        return Enum.TryParse<T>(value, ignoreCase: true, out var v) && names.Contains(value.ToLowerInvariant())
            ? v
            : throw new UsageException($"{option}: '{value}' is not one of {string.Join("|", names)}");
    }

    public static bool ParseBool(string option, string? value, bool fallback) => value switch
    {
        null => fallback,
        "true" => true,
        "false" => false,
        _ => throw new UsageException($"{option}: '{value}' is not one of true|false"),
    };

    /// <summary>First Ctrl+C asks the trainer to stop after the current step (and checkpoint); a second one kills.</summary>
    public static CancellationToken CancelOnCtrlC()
    {
        var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            if (cts.IsCancellationRequested) return;
            e.Cancel = true;
            Console.Error.WriteLine("\nminrnn: stopping after this step (Ctrl+C again to kill)");
            cts.Cancel();
        };
        return cts.Token;
    }

    /// <summary>Loads a run folder's configuration, naming the folder in errors.</summary>
    public static RunConfig ReadRun(string runDir)
    {
        if (!Directory.Exists(runDir)) throw new UsageException($"--run: {runDir} does not exist");
        return RunFiles.ReadConfig(runDir);
    }
}
