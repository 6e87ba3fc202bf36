using System.Text.Json;
using System.Text.Json.Serialization;
using MinRnn.Models;
using MinRnn.Tasks;

namespace MinRnn.Training;

/// <summary>Everything one training run needs: model, task and optimisation. Written as DIR/config.json and
/// inside every checkpoint.</summary>
public sealed record RunConfig(ModelConfig Model, SelectiveCopying Task, TrainOptions Train)
{
    public const int FormatVersion = 1;

    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public void Validate()
    {
        Model.Validate();
        Task.Validate();
        Train.Validate();
        if (Model.Vocab != Task.Vocab)
            throw new ArgumentException($"vocab: model ({Model.Vocab}) and task ({Task.Vocab}) differ");
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Parses config JSON; throws InvalidDataException naming the file on malformed content.</summary>
    public static RunConfig FromJson(string json, string source)
    {
        try
        {
            var config = JsonSerializer.Deserialize<RunConfig>(json, Json)
                ?? throw new InvalidDataException($"{source}: empty configuration");
            if (config.Model is null || config.Task is null || config.Train is null)
                throw new InvalidDataException($"{source}: configuration lacks model, task or train");
            config.Validate();
            return config;
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            throw new InvalidDataException($"{source}: invalid configuration ({e.Message})");
        }
    }
}
