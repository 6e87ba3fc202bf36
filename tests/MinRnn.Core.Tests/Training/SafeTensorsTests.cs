using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using MinRnn.Models;
using MinRnn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MinRnn.Tests.Training;

/// <summary>The safetensors format read back by hand (8-byte length, JSON header, raw little-endian data), the
/// reduced-precision dtypes PyTorch ports write, and one-line errors for mismatched or broken files.</summary>
public class SafeTensorsTests
{
    private static readonly ModelConfig Config = new("minlstm", Layers: 2, Vocab: 6, Dim: 8, Expansion: 1.5, ConvKernel: 2, FeedForwardMult: 1, ForgetBias: 2);

    [Fact]
    public void SavedModelLoadsIntoAFreshModelExactly()
    {
        random.manual_seed(1);
        using var a = new SequenceModel(Config);
        random.manual_seed(2);
        using var b = new SequenceModel(Config);
        using var tmp = new TempFolder();
        var path = tmp["w.safetensors"];
        SafeTensors.SaveModel(a, path);
        SafeTensors.LoadInto(b, path);
        using var tokens = randint(0, 6, [2, 9], dtype: int64);
        Assert.Equal(0.0, TestUtil.RelErr(b.Logits(tokens), a.Logits(tokens)));
    }

    [Fact]
    public void FileLayoutIsTheSafetensorsFormat()
    {
        random.manual_seed(1);
        using var model = new SequenceModel(Config);
        using var tmp = new TempFolder();
        var path = tmp["w.safetensors"];
        SafeTensors.SaveModel(model, path);

        var bytes = File.ReadAllBytes(path);
        var length = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0, length % 8);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, length));
        var metadata = header.RootElement.GetProperty("__metadata__");
        Assert.Equal("pt", metadata.GetProperty("format").GetString());
        Assert.Contains("\"cell\":\"minlstm\"", metadata.GetProperty("model_config").GetString());
        var names = header.RootElement.EnumerateObject().Select(p => p.Name).Where(n => n != "__metadata__").ToList();
        Assert.Equal(model.state_dict().Keys.Order(), names.Order());
        Assert.Contains("blocks.1.cell.to_hidden_and_gates.weight", names);
        Assert.Contains("blocks.0.cell.to_hidden_and_gates.bias", names);

        var entry = header.RootElement.GetProperty("blocks.1.cell.to_hidden_and_gates.weight");
        Assert.Equal("F32", entry.GetProperty("dtype").GetString());
        Assert.Equal([36L, 8L], entry.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()));   // (3 · inner, d), PyTorch layout
        var begin = 8 + length + entry.GetProperty("data_offsets")[0].GetInt32();
        var expected = model.state_dict()["blocks.1.cell.to_hidden_and_gates.weight"].data<float>().ToArray();
        for (var i = 0; i < expected.Length; i++)
            Assert.Equal(expected[i], BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(begin + 4 * i)));
    }

    [Fact]
    public void ReadsHalfBFloatAndDouble()
    {
        float[] values = [1.5f, -2.25f, 0.125f];
        var data = new List<byte>();
        foreach (var v in values) data.AddRange(BitConverter.GetBytes((Half)v));
        foreach (var v in values) data.AddRange(BitConverter.GetBytes((ushort)(BitConverter.SingleToInt32Bits(v) >>> 16)));
        foreach (var v in values) data.AddRange(BitConverter.GetBytes((double)v));
        var json = """{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},"b":{"dtype":"BF16","shape":[1,3],"data_offsets":[6,12]},"d":{"dtype":"F64","shape":[3],"data_offsets":[12,36]}}""";
        using var tmp = new TempFolder();
        var path = tmp["mixed.safetensors"];
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. Encoding.UTF8.GetBytes(json), .. data]);

        var (tensors, _) = SafeTensors.Read(path);
        foreach (var name in new[] { "h", "b", "d" })
            Assert.Equal(values, tensors[name].reshape(-1).data<float>().ToArray());
        Assert.Equal([1L, 3L], tensors["b"].shape);
    }

    [Fact]
    public void MismatchesAndBrokenFilesAreOneLineErrors()
    {
        random.manual_seed(1);
        using var model = new SequenceModel(Config);
        using var other = new SequenceModel(Config with { Dim = 10 });
        using var tmp = new TempFolder();
        var dir = tmp.Path;
        var path = Path.Combine(dir, "w.safetensors");
        SafeTensors.SaveModel(other, path);
        var e = Assert.Throws<CheckpointException>(() => SafeTensors.LoadInto(model, path));
        Assert.Contains("tensor 'embedding.weight' has shape [6, 10], the model expects [6, 8]", e.Message);

        using var gru = new SequenceModel(Config with { Cell = "gru" });
        SafeTensors.SaveModel(gru, path);
        Assert.Contains("is not a parameter of minlstm × 2", Assert.Throws<CheckpointException>(() => SafeTensors.LoadInto(model, path)).Message);

        SafeTensors.SaveModel(model, path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]);
        var truncated = Assert.Throws<MinRnn.Runtime.BadFileException>(() => SafeTensors.LoadInto(model, path));
        Assert.Contains("truncated", truncated.Message);
        Assert.DoesNotContain('\n', truncated.Message);

        File.WriteAllBytes(path, [1, 2, 3]);
        Assert.Contains("not a safetensors file", Assert.Throws<MinRnn.Runtime.BadFileException>(() => SafeTensors.Read(path)).Message);
    }
}
