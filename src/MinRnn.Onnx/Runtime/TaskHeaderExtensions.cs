using MinRnn.Onnx.Format;
using MinRnn.Tasks;

namespace MinRnn.Onnx.Runtime;

public static class TaskHeaderExtensions
{
    /// <summary>The task as a record (registry defaults with the file's options), e.g. to draw evaluation rows;
    /// ArgumentException naming a task or option this MinRnn version does not know.</summary>
    public static ISequenceTask ToTask(this TaskHeader task) =>
        TaskJson.With(TaskRegistry.Find(task.Name).Quick, task.Options.Select(p => (p.Key, p.Value)));
}
