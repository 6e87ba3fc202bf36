using MinRnn.Runtime;
using MinRnn.Tasks;
using MinRnn.Training;

namespace MinRnn.Onnx.Runtime;

/// <summary>An exported forecast model in ONNX Runtime: its task (target, features, T, H, season, the columns' mean and std)
/// comes from the file's task_options, so the file alone forecasts a series (docs/FORECAST.md, "The forecast command").</summary>
public static class OnnxForecast
{
    /// <summary>The file's forecast task; a one-line BadFileException (bad input, exit 2) when it holds another task or its graph reads
    /// another input than the task's F numeric features.</summary>
    public static Forecast TaskOf(OnnxModel model, string path)
    {
        var task = model.Task.ToTask() as Forecast
            ?? throw new BadFileException($"{path}: the model was trained on {model.Task.Name}, not {Forecast.TaskName}");
        if (model.Input.Features != task.InputFeatures)
            throw new BadFileException($"{path}: the task reads {task.InputFeatures} numeric features but the graph reads {model.Input}");
        return task;
    }

    /// <summary>The graph as a <see cref="WindowModel"/>: windows (B, T, F) in the series' units (the graph standardises
    /// them) → the logits at each window's last step, (B, H) row-major.</summary>
    public static WindowModel Windows(OnnxModel model) => (windows, count) =>
    {
        var time = windows.Length / count / model.Input.Features!.Value;
        var r = model.Run(windows, count, time);
        var outputs = new float[count * r.Vocab];
        for (var b = 0; b < count; b++)
            Array.Copy(r.Logits, (b * time + time - 1) * r.Vocab, outputs, b * r.Vocab, r.Vocab);
        return outputs;
    };
}
