using System.Text.Json;

namespace MinRnn.Onnx.Runtime;

/// <summary>Writes `{"logits": [B][T][V], "predictions": [B][T]}` to a file, via a temporary file so that a failure
/// never leaves a half-written or replaced output.</summary>
public static class PredictionWriter
{
    public static void Write(string path, int batch, int time, int vocab, ReadOnlySpan<float> logits, ReadOnlySpan<long> predictions)
    {
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("logits");
            for (var b = 0; b < batch; b++)
            {
                json.WriteStartArray();
                for (var t = 0; t < time; t++)
                {
                    json.WriteStartArray();
                    foreach (var v in logits.Slice((b * time + t) * vocab, vocab)) json.WriteNumberValue(v);
                    json.WriteEndArray();
                }
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteStartArray("predictions");
            for (var b = 0; b < batch; b++)
            {
                json.WriteStartArray();
                foreach (var p in predictions.Slice(b * time, time)) json.WriteNumberValue(p);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        File.Move(temp, path, overwrite: true);
    }
}
