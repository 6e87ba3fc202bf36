using MinRnn.Runs;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MinRnn.Models;
using MinRnn.Runtime;
using static TorchSharp.torch;

namespace MinRnn.Training;

/// <summary>The safetensors weight format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON
/// {"__metadata__": {string: string}, name: {"dtype", "shape", "data_offsets": [begin, end]}, …}, then the raw
/// little-endian tensor data. MinRnn writes its state-dict names and PyTorch layouts (Linear weights (out, in)), so
/// the files load into PyTorch ports of these models; reading accepts F32, F64, F16 and BF16.</summary>
public static class SafeTensors
{
    private const long MaxHeader = 100 << 20;

    /// <summary>Writes every parameter of a model, with its configuration in the metadata.</summary>
    public static void SaveModel(SequenceModel model, string path)
    {
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [FileMetadataKeys.MinRnnVersion] = RunFiles.Version,
            [FileMetadataKeys.ModelConfig] = JsonSerializer.Serialize(model.Config, new JsonSerializerOptions(RunConfig.Json) { WriteIndented = false }),
        };
        Write(path, model.state_dict().Select(p => (p.Key, p.Value)), metadata);
    }

    /// <summary>Copies the file's tensors into a model: every name must be present with the model's shape, and no
    /// other names may appear. A mismatch is a one-line CheckpointException naming the tensor.</summary>
    public static void LoadInto(SequenceModel model, string path)
    {
        var (tensors, _) = Read(path);
        using var scope = NewDisposeScope();
        var expected = model.state_dict();
        var unknown = tensors.Keys.Except(expected.Keys).ToList();
        if (unknown.Count > 0)
            throw new CheckpointException($"{path}: tensor '{unknown[0]}' is not a parameter of {model.Config.Cell} × {model.Config.Layers} (expected names like '{expected.Keys.First()}')");
        using var _ = no_grad();
        foreach (var (name, target) in expected)
        {
            if (!tensors.TryGetValue(name, out var source))
                throw new CheckpointException($"{path}: tensor '{name}' is missing");
            if (!source.shape.SequenceEqual(target.shape))
                throw new CheckpointException($"{path}: tensor '{name}' has shape [{string.Join(", ", source.shape)}], the model expects [{string.Join(", ", target.shape)}]");
            target.copy_(source);
        }
    }

    public static void Write(string path, IEnumerable<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new Dictionary<string, object>();
        if (metadata is not null) header["__metadata__"] = metadata;
        var blobs = new List<byte[]>();
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            using var cpu = tensor.detach().cpu().contiguous();
            var (dtype, bytes) = cpu.dtype switch
            {
                ScalarType.Float64 => ("F64", MemoryMarshal.AsBytes(cpu.data<double>().ToArray().AsSpan()).ToArray()),
                _ => ("F32", MemoryMarshal.AsBytes(cpu.to_type(float32).data<float>().ToArray().AsSpan()).ToArray()),
            };
            if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors: big-endian hosts are not supported");
            header[name] = new { dtype, shape = cpu.shape, data_offsets = new[] { offset, offset + bytes.Length } };
            blobs.Add(bytes);
            offset += bytes.Length;
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        var padded = (json.Length + 7) / 8 * 8;                                        // the data start 8-byte aligned
        var temp = path + ".tmp";
        using (var file = File.Create(temp))
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
            file.Write(length);
            file.Write(json);
            for (var i = json.Length; i < padded; i++) file.WriteByte((byte)' ');
            foreach (var b in blobs) file.Write(b);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>All tensors of a file as float32 CPU tensors, and its metadata. Malformed files are a BadFileException
    /// naming the problem.</summary>
    public static (Dictionary<string, Tensor> Tensors, Dictionary<string, string> Metadata) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 8) throw new BadFileException($"{path}: not a safetensors file (shorter than its 8-byte header length)");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (length > MaxHeader || (long)length > bytes.Length - 8)
            throw new BadFileException($"{path}: not a safetensors file or truncated (header length {length}, file {bytes.Length} bytes)");
        var data = bytes.AsMemory(8 + (int)length);
        var tensors = new Dictionary<string, Tensor>();
        var metadata = new Dictionary<string, string>();
        try
        {
            using var doc = JsonDocument.Parse(bytes.AsMemory(8, (int)length));
            foreach (var entry in doc.RootElement.EnumerateObject())
            {
                if (entry.Name == "__metadata__")
                {
                    foreach (var m in entry.Value.EnumerateObject()) metadata[m.Name] = m.Value.GetString() ?? "";
                    continue;
                }
                var dtype = entry.Value.GetProperty("dtype").GetString();
                var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(d => d.GetInt64()).ToArray();
                var count = shape.Aggregate(1L, (p, d) => p * d);
                var width = dtype switch
                {
                    "F64" => 8, "F32" => 4, "F16" or "BF16" => 2,
                    _ => throw new BadFileException($"{path}: tensor '{entry.Name}' has dtype {dtype}; supported: F32, F64, F16, BF16"),
                };
                if (offsets.Length != 2 || offsets[0] < 0 || offsets[1] > data.Length || offsets[1] - offsets[0] != count * width)
                    throw new BadFileException($"{path}: tensor '{entry.Name}' has data_offsets [{string.Join(", ", offsets)}] " +
                                               $"that do not fit its {dtype} shape [{string.Join(", ", shape)}] or the file (truncated?)");
                tensors[entry.Name] = tensor(ToFloats(data.Span[(int)offsets[0]..(int)offsets[1]], dtype!), shape);
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            foreach (var t in tensors.Values) t.Dispose();
            throw new BadFileException($"{path}: malformed safetensors header ({e.Message.Split('\n')[0]})", e);
        }
        return (tensors, metadata);
    }

    private static float[] ToFloats(ReadOnlySpan<byte> raw, string dtype) => dtype switch
    {
        "F32" => MemoryMarshal.Cast<byte, float>(raw).ToArray(),
        "F64" => [.. MemoryMarshal.Cast<byte, double>(raw).ToArray().Select(v => (float)v)],
        "F16" => [.. MemoryMarshal.Cast<byte, Half>(raw).ToArray().Select(v => (float)v)],
        _ => [.. MemoryMarshal.Cast<byte, ushort>(raw).ToArray().Select(v => BitConverter.Int32BitsToSingle(v << 16))],   // BF16
    };
}
