using MinRnn.Runs;
using System.Text.Json;
using MinRnn.Models;
using MinRnn.Runtime;
using TorchSharp;
using TorchSharp.Modules;

namespace MinRnn.Training;

/// <summary>A corrupt, missing or mismatched checkpoint (or --init-from weights); the message names the file and the
/// problem. Bad input: the run folder or file the user named is not what it should be.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : BadFileException(message, inner);

/// <summary>Progress saved with the weights: the step reached, the training time spent so far and the running
/// training-loss sum since the last evaluation. Training data derive from (seed, step) alone (see Seeds), so
/// the step is the whole random state of a CPU run.</summary>
public sealed record TrainingState(int FormatVersion, int Step, double ElapsedSeconds, double TrainLossSum, int TrainLossCount, RunConfig Config);

/// <summary>DIR/checkpoint/: model.bin (TorchSharp state dict), optimizer.bin (AdamW state), state.json.
/// Written to checkpoint.tmp/, fsynced, and renamed into place (folder fsynced after each rename), so a crash or
/// SIGKILL at any instant leaves a complete checkpoint (tests: CrashResumeTests).</summary>
public static class Checkpoint
{
    public const string Folder = RunFileNames.Checkpoint;

    public static bool Exists(string runDir) =>
        File.Exists(Path.Combine(runDir, Folder, "state.json")) || File.Exists(Path.Combine(runDir, Folder + ".old", "state.json"));

    /// <summary>The instants of a save, in order, at which a test may kill the process (TestHooks.Kill).</summary>
    public static readonly string[] Phases = TestHooks.CheckpointPhases;

    public static void Save(string runDir, SequenceModel model, AdamW? optimizer, TrainingState state)
    {
        var final = Path.Combine(runDir, Folder);
        var temp = final + ".tmp";
        var old = final + ".old";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        model.save(Path.Combine(temp, "model.bin"));
        Durable.SyncFile(Path.Combine(temp, "model.bin"));
        TestHooks.Kill(TestHooks.CheckpointModel, state.Step);
        if (optimizer is not null)
        {
            optimizer.save_state_dict(Path.Combine(temp, "optimizer.bin"));
            Durable.SyncFile(Path.Combine(temp, "optimizer.bin"));
        }
        Durable.WriteAtomic(Path.Combine(temp, "state.json"), JsonSerializer.Serialize(state, RunConfig.Json));
        Durable.SyncFolder(runDir);                                    // checkpoint.tmp/ itself exists on disk
        TestHooks.Kill(TestHooks.CheckpointWritten, state.Step);
        // every instant from here on leaves a complete checkpoint/ or checkpoint.old/ (Locate reads the first it finds)
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        if (Directory.Exists(final)) Directory.Move(final, old);
        Durable.SyncFolder(runDir);
        TestHooks.Kill(TestHooks.CheckpointOld, state.Step);
        Directory.Move(temp, final);
        Durable.SyncFolder(runDir);
        TestHooks.Kill(TestHooks.CheckpointRenamed, state.Step);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        TestHooks.Kill(TestHooks.CheckpointDone, state.Step);
    }

    /// <summary>Reads state.json (falling back to checkpoint.old/ if a save was interrupted between renames).</summary>
    public static TrainingState ReadState(string runDir)
    {
        var dir = Locate(runDir);
        var path = Path.Combine(dir, "state.json");
        try
        {
            var state = JsonSerializer.Deserialize<TrainingState>(File.ReadAllText(path), RunConfig.Json)
                ?? throw new CheckpointException($"{path}: empty checkpoint state");
            if (!RunConfig.Readable(state.FormatVersion))
                throw new CheckpointException($"{path}: checkpoint format {state.FormatVersion} is not supported (this version reads 1 … {RunConfig.FormatVersion})");
            if (state.Config is null) throw new CheckpointException($"{path}: checkpoint state has no config");
            state.Config.Validate();
            return state;
        }
        catch (Exception e) when (e is JsonException or ArgumentException or IOException)
        {
            throw new CheckpointException($"{path}: corrupt checkpoint state ({e.Message})", e);
        }
    }

    /// <summary>Loads weights (and optimizer state) into freshly built objects of the checkpoint's configuration.</summary>
    public static void Load(string runDir, SequenceModel model, AdamW? optimizer)
    {
        var dir = Locate(runDir);
        var file = Path.Combine(dir, "model.bin");
        try
        {
            model.load(file, strict: true);
            file = Path.Combine(dir, "optimizer.bin");
            if (optimizer is not null)
                optimizer.load_state_dict(file);
        }
        catch (Exception e) when (e is not CheckpointException)
        {
            throw new CheckpointException($"{file}: truncated, corrupt or not of the model {model.Config.Cell} × {model.Config.Layers} ({FirstLine(e.Message)})", e);
        }
    }

    /// <summary>The trained model of a run folder, on a device, in evaluation mode.</summary>
    public static SequenceModel LoadModel(string runDir, TorchSharp.torch.Device device)
    {
        var state = ReadState(runDir);
        var model = new SequenceModel(state.Config.Model);
        Load(runDir, model, optimizer: null);
        model.to(device);
        model.eval();
        return model;
    }

    private static string Locate(string runDir)
    {
        foreach (var name in new[] { Folder, Folder + ".old" })
        {
            var dir = Path.Combine(runDir, name);
            if (File.Exists(Path.Combine(dir, "state.json"))) return dir;
        }
        throw new CheckpointException($"{Path.Combine(runDir, Folder)}: no checkpoint found");
    }

    private static string FirstLine(string s) => s.Split('\n', 2)[0].Trim();
}
