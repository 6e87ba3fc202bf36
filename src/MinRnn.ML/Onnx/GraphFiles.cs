using System.Security.Cryptography;

namespace MinRnn.ML.Onnx;

/// <summary>The component's ONNX graphs as files for ML.NET's OnnxTransformer, which reads its model from a path when it is
/// saved. Content-addressed (`minrnn-ml/SHA-256.onnx` in the temp folder) and kept: a graph is written once per content,
/// so any number of fits and processes share one file and nothing piles up. (Given the bytes as a stream instead,
/// OnnxTransformer (5.0.1, where this was seen) copies them to a temporary file of its own that even Dispose leaves behind.)</summary>
internal static class GraphFiles
{
    private static readonly string Folder = Path.Combine(Path.GetTempPath(), "minrnn-ml");

    /// <summary>The file holding <paramref name="graph"/>, written now unless it is there already.</summary>
    public static string Write(byte[] graph)
    {
        var path = Path.Combine(Folder, Convert.ToHexString(SHA256.HashData(graph)).ToLowerInvariant() + ".onnx");
        if (File.Exists(path) && new FileInfo(path).Length == graph.Length) return path;
        Directory.CreateDirectory(Folder);
        var partial = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllBytes(partial, graph);
        File.Move(partial, path, overwrite: true);   // atomic: readers see the whole file or none
        return path;
    }
}
