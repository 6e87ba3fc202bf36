using System.Text.Json;
using System.Text.Json.Nodes;
using MinRnn.Onnx.Format;
using MinRnn.Tasks;

namespace MinRnn.Onnx.Runtime;

public static class TaskHeaderExtensions
{
    /// <summary>The task as a record: the file's task_options read as the run's config reads its task block (each option
    /// with its JSON type, so options whose default is null, such as a numeric task's features and standardisation, come
    /// back too), or for files before task_options the registry defaults with the options TaskHeader derives. An
    /// ArgumentException names a task or option this MinRnn version does not know.</summary>
    public static ISequenceTask ToTask(this TaskHeader task)
    {
        var kind = TaskRegistry.Find(task.Name);
        if (task.OptionsJson is not { } json) return TaskJson.With(kind.Quick, task.Options.Select(p => (p.Key, p.Value)));
        var options = JsonNode.Parse(json)!.AsObject();
        var known = kind.Type.GetConstructors().MaxBy(c => c.GetParameters().Length)!.GetParameters()
            .Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name!)).ToHashSet();
        if (options.Select(o => o.Key).FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            throw new ArgumentException($"task-opt: {task.Name} has no option '{unknown}' (options: {string.Join(", ", known)})");
        options["name"] = kind.Name;
        try { return TaskJson.FromJson(options); }
        catch (JsonException e) { throw new ArgumentException($"task-opt: {e.Message.Split('\n')[0]}"); }
    }
}
