using System.Text.Json;
using System.Text.Json.Serialization;
using MinRnn.Models;
using MinRnn.Runs;
using MinRnn.Runtime;
using MinRnn.Tasks;

namespace MinRnn.Training;

/// <summary>Everything one training run needs: model, task (any task of TaskRegistry) and optimisation. Written as DIR/config.json and
/// inside every checkpoint.</summary>
public sealed record RunConfig(ModelConfig Model, [property: JsonConverter(typeof(TaskJsonConverter))] ISequenceTask Task, TrainOptions Train)
{
    /// <summary>2: the task block names its task (version 1 was selective copying without a name; still read).</summary>
    public const int FormatVersion = 2;

    /// <summary>Checkpoint format versions this version reads.</summary>
    public static bool Readable(int version) => version is 1 or FormatVersion;

    public static readonly JsonSerializerOptions Json = RunJson.Options;

    public void Validate()
    {
        Model.Validate();
        Task.Validate();
        Train.Validate();
        if (Model.Vocab != Task.Vocabulary.Size)
            throw new ArgumentException($"vocab: model ({Model.Vocab}) and task {Task.Name} ({Task.Vocabulary.Size}) differ");
        if (Model.Features != Task.InputFeatures)
            throw new ArgumentException($"features: model ({Model.Features?.ToString() ?? "tokens"}) and task {Task.Name} ({Task.InputFeatures?.ToString() ?? "tokens"}) differ");
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses config JSON; throws BadFileException naming the file on malformed content, and
    /// UnknownTaskException naming the file and the task when it names a task this version does not know.</summary>
    public static RunConfig FromJson(string json, string source)
    {
        try
        {
            var config = JsonSerializer.Deserialize<RunConfig>(json, Json)
                ?? throw new BadFileException($"{source}: empty configuration");
            if (config.Model is null || config.Task is null || config.Train is null)
                throw new BadFileException($"{source}: configuration lacks model, task or train");
            config.Validate();
            return config;
        }
        catch (UnknownTaskException e)
        {
            throw new UnknownTaskException($"{source}: {e.Message}");
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new BadFileException($"{source}: invalid configuration ({e.Message})", e);
        }
    }
}
