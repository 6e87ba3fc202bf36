using System.Diagnostics;
using MinRnn.Training;

namespace MinRnn.Cli;

/// <summary>Training progress: an updating status line on a terminal, one plain line per evaluation when
/// output is redirected (logs, CI).</summary>
public sealed class ConsoleProgress(bool quiet) : IDisposable
{
    private readonly bool interactive = !Console.IsErrorRedirected;
    private readonly Stopwatch sinceDraw = Stopwatch.StartNew();
    private Evaluation? lastEval;
    private bool drawn;

    public void Report(TrainProgress p)
    {
        if (quiet) return;
        if (p.Eval is { } e) lastEval = e;
        var acc = lastEval is { } le ? $"  eval loss {le.Loss:F4}  acc {le.Accuracy:F4}" : "";
        var eta = p.StepsPerSecond > 0 ? TimeSpan.FromSeconds((p.Steps - p.Step) / p.StepsPerSecond) : TimeSpan.Zero;
        var line = $"step {p.Step}/{p.Steps}  loss {p.Loss:F4}{acc}  {p.StepsPerSecond:F1} steps/s  ETA {eta:hh\\:mm\\:ss}";
        if (interactive)
        {
            if (sinceDraw.ElapsedMilliseconds < 200 && p.Step != p.Steps && p.Eval is null) return;
            var width = Math.Max(20, Console.WindowWidth - 1);
            Console.Error.Write("\r" + (line.Length > width ? line[..width] : line.PadRight(width)));
            drawn = true;
            sinceDraw.Restart();
        }
        else if (p.Eval is not null)
            Console.Error.WriteLine(line);
    }

    public void Finish()
    {
        if (drawn) Console.Error.WriteLine();
        drawn = false;
    }

    public void Dispose() => Finish();
}
