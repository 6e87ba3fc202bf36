namespace MinRnn.Onnx.Tests.Cli;

/// <summary>The `minrnn` executable as a user runs it, and one tiny trained run shared by a test class.</summary>
public static class Minrnn
{
    public static (int Code, string Out, string Err) Run(params string[] args) => MinRnn.Tests.Cli.MinrnnProcess.Run(args);

    public static string[] TinyTrain(string model) =>
        ["--model", model, "--layers", "1", "--seq-len", "10", "--tokens", "2", "--vocab", "6", "--dim", "8", "--conv", "2",
         "--steps", "2", "--batch", "8", "--eval-every", "2", "--eval-size", "8", "--device", "cpu", "--quiet"];
}

/// <summary>A trained tiny minGRU run (vocab 6) and its ONNX export, made once for a test class.</summary>
public sealed class TrainedRun : IDisposable
{
    private readonly TempFolder folder = new();

    public TrainedRun()
    {
        Dir = folder.Path;
        Run = Path.Combine(Dir, "run");
        Onnx = Path.Combine(Dir, "model.onnx");
        var (code, _, err) = Minrnn.Run([.. "train".Split(' '), .. Minrnn.TinyTrain("mingru"), "--out", Run]);
        if (code != 0) throw new InvalidOperationException($"train failed: {err}");
        (code, _, err) = Minrnn.Run("export", "--run", Run, "--out", Onnx);
        if (code != 0) throw new InvalidOperationException($"export failed: {err}");
    }

    public string Dir { get; }
    public string Run { get; }
    public string Onnx { get; }

    public void Dispose() => folder.Dispose();
}
