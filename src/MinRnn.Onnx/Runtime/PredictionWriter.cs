using System.Text.Json;

namespace MinRnn.Onnx.Runtime;

/// <summary>Writes `{"logits": [B][T_b][V], "predictions": [B][T_b]}` (each row at its own length T_b) to a file, via a
/// temporary file so that a failure never leaves a half-written or replaced output.</summary>
public static class PredictionWriter
{
    public static void Write(string path, int vocab, IReadOnlyList<RowPrediction> rows)
    {
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteStartArray("logits");
            foreach (var row in rows)
            {
                json.WriteStartArray();
                for (var t = 0; t < row.Predictions.Length; t++)
                {
                    json.WriteStartArray();
                    foreach (var v in row.Logits.AsSpan(t * vocab, vocab)) json.WriteNumberValue(v);
                    json.WriteEndArray();
                }
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteStartArray("predictions");
            foreach (var row in rows)
            {
                json.WriteStartArray();
                foreach (var p in row.Predictions) json.WriteNumberValue(p);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        File.Move(temp, path, overwrite: true);
    }
}
